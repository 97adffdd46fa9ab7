// n8n-core logs every node error through winston; the engine tests assert on the errors themselves.
process.env.N8N_LOG_LEVEL = 'silent';
