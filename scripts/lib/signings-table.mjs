// The Data Table the business-flow examples record signings in (`./dev start`, docs screenshots).
// The examples name it by TABLE_PLACEHOLDER, replaced by its id on import.
import fs from 'node:fs';

// Name, placeholder and columns live in signings-table.json, which the examples e2e test reads too.
const table = JSON.parse(
	fs.readFileSync(new URL('./signings-table.json', import.meta.url), 'utf8'),
);
export const TABLE_NAME = table.name;
export const TABLE_PLACEHOLDER = table.placeholder;
export const TABLE_COLUMNS = table.columns;

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
	if (existing) {
		await orderColumns(client, project.id, existing.id, log);
		return existing.id;
	}
	const created = await client.request('POST', `/rest/projects/${project.id}/data-tables`, {
		name: TABLE_NAME,
		columns: TABLE_COLUMNS,
	});
	return created.id;
}

/**
 * Moves the table's known columns into TABLE_COLUMNS' order, the order a user reads a row in (n8n
 * keeps a table's columns in the order they were created); columns a user added stay after them.
 * Failure only logs: the examples work in any column order.
 */
async function orderColumns(client, projectId, tableId, log) {
	const base = `/rest/projects/${projectId}/data-tables/${tableId}/columns`;
	const current = async () =>
		(await client.request('GET', base)).toSorted((a, b) => a.index - b.index);
	try {
		let columns = await current();
		let target = 0;
		for (const { name } of TABLE_COLUMNS) {
			const at = columns.findIndex((column) => column.name === name);
			if (at === -1) continue;
			if (at !== target) {
				await client.request('PATCH', `${base}/${columns[at].id}/move`, { targetIndex: target });
				columns = await current();
			}
			target++;
		}
	} catch (error) {
		log(`could not reorder the columns of "${TABLE_NAME}": ${error.message}`);
	}
}
