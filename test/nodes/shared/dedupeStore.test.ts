/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// The dedupe store through n8n's own static-data machinery: real n8n-workflow Workflow objects,
// saved to a shared "database" the way n8n 2.41.1 saves a webhook's static data, by several
// webhook "processes" (separate module instances, so separate in-memory copies) and restarts.
import { type IDataObject, type INode, type INodeTypes, Workflow } from 'n8n-workflow';
import * as thisProcess from '../../../nodes/shared/dedupe';

type Store = typeof thisProcess;

/** Another webhook process: the same module loaded again, with its own in-memory copies. */
function anotherProcess(): Store {
	let store: Store | undefined;
	jest.isolateModules(() => {
		store = jest.requireActual<Store>('../../../nodes/shared/dedupe');
	});
	return store!;
}

const node: INode = {
	id: 'trigger-1',
	name: 'Trigger',
	type: 'test.trigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const nodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const SCOPE = 'wf-1:trigger-1';

/** The workflow row: static data as JSON, `null` until something saved it. */
interface Database {
	staticData: string | null;
	saves: number;
}

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A request being handled: n8n has loaded the workflow (live-webhooks.js builds a Workflow over the
 * row's static data) and the trigger can run against it; `finish` then does what n8n does after
 * webhook() returns, and saves the static data when it is marked changed.
 */
function startRequest(db: Database) {
	const workflowData = {
		staticData: db.staticData === null ? undefined : (JSON.parse(db.staticData) as IDataObject),
	};
	const workflow = new Workflow({
		id: 'wf-1',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: workflowData.staticData,
	});
	const response = { headersSent: false };
	const save = () => {
		if (workflow.staticData.__dataChanged === true) {
			db.staticData = JSON.stringify(workflow.staticData);
			db.saves++;
		}
		response.headersSent = true;
	};
	return {
		staticData: workflow.getStaticData('node', node),
		options: { scope: SCOPE, response },
		/** Emitted: n8n queues the execution, then saves and answers (n8n 2.41.1 order). */
		async finishWithExecution() {
			// WorkflowRunner.run → establishContextForPersistence: a second Workflow over the same
			// static-data object, in the same turn of the event loop as webhook()'s return.
			new Workflow({
				id: 'wf-1',
				nodes: [node],
				connections: {},
				active: true,
				nodeTypes,
				staticData: workflowData.staticData,
			});
			await pause(5); // the execution is stored and queued (database, Redis)
			save();
		},
		/** Acknowledged by the node itself (`noWebhookResponse`): n8n saves, no execution. */
		finishAcknowledged() {
			save();
		},
	};
}

/** One delivery to a trigger that dedupes like ours: true when it started an execution. */
async function deliver(store: Store, db: Database, key: string): Promise<boolean> {
	const request = startRequest(db);
	if (!store.rememberOnce(request.staticData, key, request.options)) {
		request.finishAcknowledged();
		return false;
	}
	store.syncRemembered(request.staticData, request.options);
	await request.finishWithExecution();
	return true;
}

const savedKeys = (db: Database) =>
	Object.keys(
		thisProcess.readSeen(
			((JSON.parse(db.staticData ?? '{}') as IDataObject)['node:Trigger'] ?? {}) as IDataObject,
		),
	).sort();

describe('dedupe store saved the way n8n saves a webhook’s static data', () => {
	afterEach(() => thisProcess.clearDedupeMemory());

	it('is saved although n8n 2.x clears the change mark after webhook() returns', async () => {
		// Any saved static data at all: from then on n8n 2.41.1 loses the mark unless marked again.
		const db: Database = { staticData: JSON.stringify({ 'node:Trigger': { seen: {} } }), saves: 0 };
		expect(await deliver(thisProcess, db, 'k1')).toBe(true);
		expect(await deliver(thisProcess, db, 'k2')).toBe(true);
		expect(savedKeys(db)).toEqual(['k1', 'k2']);
		expect(db.saves).toBe(2);
	});

	it('starts nothing for a re-delivery to another webhook process', async () => {
		const db: Database = { staticData: null, saves: 0 };
		const other = anotherProcess();
		for (let i = 0; i < 5; i++) {
			expect(await deliver(thisProcess, db, `event-${i}`)).toBe(true);
			expect(await deliver(other, db, `event-${i}`)).toBe(false);
		}
		expect(savedKeys(db)).toHaveLength(5);
	});

	it('starts nothing for a re-delivery after a restart (no in-memory copy left)', async () => {
		const db: Database = { staticData: null, saves: 0 };
		expect(await deliver(thisProcess, db, 'first')).toBe(true);
		expect(await deliver(thisProcess, db, 'second')).toBe(true);
		thisProcess.clearDedupeMemory();
		expect(await deliver(thisProcess, db, 'first')).toBe(false);
		expect(await deliver(anotherProcess(), db, 'second')).toBe(false);
	});

	it('of copies handled at the same time by one process, exactly one starts an execution', async () => {
		const db: Database = { staticData: null, saves: 0 };
		const copy = async () => {
			const request = startRequest(db);
			await pause(Math.random() * 5); // the vendor re-fetch
			if (!thisProcess.rememberOnce(request.staticData, 'same', request.options)) {
				request.finishAcknowledged();
				return false;
			}
			thisProcess.syncRemembered(request.staticData, request.options);
			await request.finishWithExecution();
			return true;
		};
		const started = await Promise.all(Array.from({ length: 5 }, copy));
		expect(started.filter(Boolean)).toHaveLength(1);
	});

	it('puts back a key that another process’s save dropped, when the key comes again', async () => {
		const db: Database = { staticData: null, saves: 0 };
		const other = anotherProcess();
		// The other process loads the workflow, then this process saves k1, then the other saves its
		// own (earlier) copy with k2: the last save wins and k1 is gone from the database.
		const late = startRequest(db);
		expect(await deliver(thisProcess, db, 'k1')).toBe(true);
		expect(other.rememberOnce(late.staticData, 'k2', late.options)).toBe(true);
		other.syncRemembered(late.staticData, late.options);
		await late.finishWithExecution();
		expect(savedKeys(db)).toEqual(['k2']);
		// k1 again, to this process, which remembers it: acknowledged, and written back.
		expect(await deliver(thisProcess, db, 'k1')).toBe(false);
		expect(savedKeys(db)).toEqual(['k1', 'k2']);
		// So a third process (or this one after a restart) knows it too.
		expect(await deliver(anotherProcess(), db, 'k1')).toBe(false);
	});

	it('stops marking once n8n has answered', async () => {
		const db: Database = { staticData: null, saves: 0 };
		const request = startRequest(db);
		expect(thisProcess.rememberOnce(request.staticData, 'k', request.options)).toBe(true);
		thisProcess.syncRemembered(request.staticData, request.options);
		await request.finishWithExecution();
		const answered = request.staticData.seen;
		await pause(50);
		expect(request.staticData.seen).toBe(answered);
	});
});
