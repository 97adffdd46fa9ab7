// The Data Table the business-flow examples record signings in (`./dev start`, docs screenshots).
// The examples name it by TABLE_PLACEHOLDER, replaced by its id on import.
export const TABLE_NAME = 'E-signatures';
export const TABLE_PLACEHOLDER = 'esign-signings-table';
export const TABLE_COLUMNS = [
	...[
		'contractId',
		'signer',
		'email',
		'documentId',
		'signatureRequestId',
		'signingUrl',
		'status',
		'error',
	].map((name) => ({ name, type: 'string' })),
	...['sentAt', 'expiresAt', 'remindedAt'].map((name) => ({ name, type: 'date' })),
];

/** The table's id, created when missing; undefined where this n8n has no Data Tables. */
export async function ensureSigningsTable(client, log = () => undefined) {
	const project = await client.request('GET', '/rest/projects/personal');
	const list = await client.request('GET', `/rest/projects/${project.id}/data-tables`, undefined, {
		raw: true,
	});
	if (!list.ok) {
		log(`no Data Tables in this n8n (${list.status}): the business-flow examples need them`);
		return undefined;
	}
	const body = await list.json();
	const tables = body.data?.data ?? body.data ?? [];
	const existing = tables.find((table) => table.name === TABLE_NAME);
	if (existing) return existing.id;
	const created = await client.request('POST', `/rest/projects/${project.id}/data-tables`, {
		name: TABLE_NAME,
		columns: TABLE_COLUMNS,
	});
	return created.id;
}
