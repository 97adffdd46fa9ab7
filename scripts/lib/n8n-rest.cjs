// The one client of n8n's REST API that everything here uses: `npm start` and the e2e setup
// (scripts/lib/n8n.mjs), the e2e tests (test/helpers/n8n.ts), the queue-mode run and the
// benchmarks. CommonJS so that jest can load it.
'use strict';

const OWNER = {
	email: 'sandbox@example.com',
	firstName: 'Sandbox',
	lastName: 'Owner',
	password: 'Sandbox-Passw0rd',
};

/** What the test workflows save: every execution, so that the tests can read what ran. */
const SAVE_ALL_EXECUTIONS = {
	executionOrder: 'v1',
	saveDataSuccessExecution: 'all',
	saveDataErrorExecution: 'all',
};

/** A tiny REST client with the login cookie. Responses are unwrapped from `{ data }`. */
class N8nClient {
	constructor(baseUrl, cookie = '') {
		this.baseUrl = baseUrl;
		this.cookie = cookie;
	}

	/** The raw Response; a cookie n8n sets (login, refresh) is kept for the next calls. */
	async fetch(method, pathname, body) {
		const response = await fetch(`${this.baseUrl}${pathname}`, {
			method,
			headers: {
				'content-type': 'application/json',
				cookie: this.cookie,
				'browser-id': 'esign-cli',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		return response;
	}

	/** One call: `{ ok: true, data }` (unwrapped) on 2xx, else `{ ok: false, status, message }`. */
	async answer(method, pathname, body) {
		const response = await this.fetch(method, pathname, body);
		const text = await response.text();
		if (!response.ok) {
			const message = `${method} ${pathname} → ${response.status}: ${text.slice(0, 500)}`;
			return { ok: false, status: response.status, message };
		}
		const json = text ? JSON.parse(text) : {};
		return { ok: true, data: json.data ?? json };
	}

	async request(method, pathname, body, { raw = false } = {}) {
		if (raw) return await this.fetch(method, pathname, body);
		const answer = await this.answer(method, pathname, body);
		if (!answer.ok) throw new Error(answer.message);
		return answer.data;
	}

	/** Owner setup on a fresh instance, then login; on an existing one, just login. */
	async ensureOwner(owner = OWNER) {
		const setup = await this.request('POST', '/rest/owner/setup', owner, { raw: true });
		if (!setup.ok && setup.status !== 400)
			throw new Error(`owner setup failed: ${setup.status} ${await setup.text()}`);
		await this.request('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
	}

	async createCredential(name, type, data) {
		return await this.request('POST', '/rest/credentials', { name, type, data });
	}

	/**
	 * Waits until `/types/nodes.json` is served: n8n writes it after start, and 1.x and 2.0 answer
	 * 404 for a few seconds after they report ready. Needs the login cookie.
	 */
	async waitForNodeTypes(timeoutMs = 60_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const response = await this.request('HEAD', '/types/nodes.json', undefined, { raw: true });
			if (response.status !== 404) {
				if (!response.ok) throw new Error(`/types/nodes.json → ${response.status}`);
				return;
			}
			if (Date.now() > deadline)
				throw new Error(`/types/nodes.json still 404 after ${timeoutMs / 1000}s`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/**
	 * Creates the workflow inactive. `active: false` is required where the server stores the body as
	 * sent (n8n 1.x, 2.0: else "NOT NULL constraint failed: workflow_entity.active"), ignored by
	 * later ones. An answer without `versionId` (which activation needs) is completed from the
	 * stored workflow. `saveAll` gives it SAVE_ALL_EXECUTIONS unless it has settings of its own.
	 */
	async createWorkflow(workflow, { saveAll = false } = {}) {
		const created = await this.request('POST', '/rest/workflows', {
			...(saveAll ? { settings: SAVE_ALL_EXECUTIONS } : {}),
			...workflow,
			active: false,
		});
		if (created.versionId) return created;
		const stored = await this.request('GET', `/rest/workflows/${created.id}`);
		return { ...created, versionId: stored.versionId };
	}

	async activate(workflow) {
		const versionId =
			workflow.versionId ?? (await this.request('GET', `/rest/workflows/${workflow.id}`)).versionId;
		return await this.request('POST', `/rest/workflows/${workflow.id}/activate`, { versionId });
	}

	async deactivate(workflow) {
		return await this.request('POST', `/rest/workflows/${workflow.id}/deactivate`, {});
	}

	/** The workflow's latest executions (one page of 100). */
	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const result = await this.request('GET', `/rest/executions?filter=${filter}&limit=100`);
		return result.results ?? result;
	}

	async execution(id) {
		return await this.request('GET', `/rest/executions/${id}`);
	}
}

module.exports = { N8nClient, OWNER, SAVE_ALL_EXECUTIONS };
