import fs from 'node:fs';

export default async function globalTeardown() {
	const state = globalThis.__ESIGN_E2E__;
	if (!state) return;
	// The sandbox closes even if n8n's stop fails: its servers would keep jest from exiting.
	try {
		await state.n8n.stop();
	} finally {
		await state.sandbox.close();
	}
	if (!process.env.ESIGN_KEEP_E2E) fs.rmSync(state.work, { recursive: true, force: true });
}
