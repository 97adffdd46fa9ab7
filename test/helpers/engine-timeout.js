// The engine tests start a sandbox and run n8n's engine in their hooks: on a machine loaded by
// other work that takes longer than jest's 5 s default. The sandbox bounds its own start (30 s,
// test/helpers/sandbox.ts), so a hook fails on that bound, with its message, not on jest's.
jest.setTimeout(60_000);
