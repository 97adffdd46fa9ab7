// Real n8n processes: webhooks register asynchronously and executions run in the background.
jest.setTimeout(60_000);
