// The engine scenarios run our compiled node classes through n8n-core's WorkflowExecute (the
// pattern of test/helpers/engine.ts, which is compiled and reused as is), inside this process.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/n8n.mjs';

const require = createRequire(import.meta.url);

/**
 * Loads n8n-core, the compiled engine helper and our classes. With `binaryDir`, n8n-core's
 * BinaryDataService is initialised in filesystem mode there (n8n's default mode): binaries become
 * `filesystem-v2:` ids and `prepareBinaryData` streams into files, as in a real instance.
 */
export async function loadEngine({ build, binaryDir }) {
	process.env.N8N_LOG_LEVEL ??= 'silent';
	if (binaryDir) {
		fs.mkdirSync(binaryDir, { recursive: true });
		process.env.N8N_USER_FOLDER = path.join(binaryDir, 'home');
		process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
		process.env.N8N_BINARY_DATA_STORAGE_PATH = path.join(binaryDir, 'store');
		process.env.N8N_ENCRYPTION_KEY ??= 'esign-bench-encryption-key';
	}
	const coreRequire = createRequire(require.resolve('n8n-core', { paths: [ROOT] }));
	const core = coreRequire('n8n-core');
	const { Container } = coreRequire('@n8n/di');
	if (binaryDir) await Container.get(core.BinaryDataService).init();
	const engine = require(build.engine);
	const load = (file, name) => require(path.join(build.dist, file))[name];
	const classes = {
		dokobitGateway: load('nodes/DokobitGateway/DokobitGateway.node.js', 'DokobitGateway'),
		dokobitGatewayApi: load('credentials/DokobitGatewayApi.credentials.js', 'DokobitGatewayApi'),
		okDokument: load('nodes/OkDokument/OkDokument.node.js', 'OkDokument'),
		okDokumentApi: load('credentials/OkDokumentApi.credentials.js', 'OkDokumentApi'),
		documentolog: load('nodes/Documentolog/Documentolog.node.js', 'Documentolog'),
		documentologApi: load('credentials/DocumentologApi.credentials.js', 'DocumentologApi'),
	};
	const binaryService = binaryDir ? Container.get(core.BinaryDataService) : undefined;

	/**
	 * Start → node `type` with `parameters`, fed `items`; returns the IRun. The start node hands the
	 * items over by reference (the test helper's FixtureStart round-trips them through a JSON
	 * parameter, which would bill a 67 MB base64 string twice to the node under test).
	 */
	async function runNode({ type, credentialType, credentials, parameters, items, node = {} }) {
		const { nodes, connections } = engine.singleNodeWorkflow(type, parameters, [], {
			credentials: { [credentialType]: { id: '1', name: 'sandbox' } },
			...node,
		});
		const start = new engine.FixtureStart();
		start.execute = async () => [
			items.map((item, index) => ({ ...item, pairedItem: { item: index } })),
		];
		return await engine.runWorkflow({
			nodes,
			connections,
			nodeTypes: { fixtureStart: start, [type]: new classes[type]() },
			credentialTypes: { [credentialType]: new classes[credentialType]() },
			credentials: { [credentialType]: credentials },
		});
	}

	// `node`: settings of the node under test, e.g. { onError: 'continueRegularOutput' }.
	const runDokobit = async (baseUrl, parameters, items, accessToken, node) =>
		await runNode({
			type: 'dokobitGateway',
			credentialType: 'dokobitGatewayApi',
			credentials: { environment: 'custom', baseUrl, accessToken },
			parameters,
			items,
			node,
		});
	const runOkDokument = async (baseUrl, parameters, items, apiKey, node) =>
		await runNode({
			type: 'okDokument',
			credentialType: 'okDokumentApi',
			credentials: { environment: 'custom', baseUrl, apiKey },
			parameters,
			items,
			node,
		});

	const runDocumentolog = async (baseUrl, parameters, items, apiKey, node) =>
		await runNode({
			type: 'documentolog',
			credentialType: 'documentologApi',
			credentials: { host: 'custom', baseUrl, apiKey },
			parameters,
			items,
			node,
		});

	/** Stores `bytes` (a Buffer or a stream) as a filesystem binary and returns its IBinaryData. */
	async function storeBinary(bytes, fileName, mimeType) {
		const binary = { data: '', mimeType, fileName };
		return await binaryService.store(
			{ type: 'execution', workflowId: 'wf-engine', executionId: 'bench-input' },
			bytes,
			binary,
		);
	}

	return {
		runDokobit,
		runOkDokument,
		runDocumentolog,
		storeBinary,
		outputOf: engine.outputOf,
		errorOf: engine.errorOf,
		binaryPath: (id) => binaryService.getPath(id),
	};
}
