// Three layers: unit (pure helpers), engine (nodes through n8n-core's WorkflowExecute against the
// sandbox), e2e (the packed package inside a real n8n process).

/** What every layer shares: Node, TypeScript through the tests' tsconfig, and the test tree only. */
const base = {
	testEnvironment: 'node',
	// Build output (.ci/out/pkg is the unpacked tarball) is not part of the test tree.
	modulePathIgnorePatterns: ['<rootDir>/.ci/', '<rootDir>/dist/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }],
	},
};

module.exports = {
	projects: [
		{
			...base,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/**/*.test.ts'],
			testPathIgnorePatterns: ['\\.engine\\.test\\.ts$', '\\.e2e\\.test\\.ts$', '/node_modules/'],
		},
		{
			...base,
			displayName: 'engine',
			setupFiles: ['<rootDir>/test/helpers/quiet-n8n.js'],
			setupFilesAfterEnv: ['<rootDir>/test/helpers/engine-timeout.js'],
			testMatch: ['<rootDir>/test/**/*.engine.test.ts'],
		},
		{
			...base,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/**/*.e2e.test.ts'],
			testPathIgnorePatterns: [
				'/node_modules/',
				// Against an n8n that runs elsewhere (ESIGN_E2E_N8N_URL, global-setup.mjs), the fault
				// cases are left out: they stop, kill and restart an n8n of their own.
				...(process.env.ESIGN_E2E_N8N_URL ? ['/faults\\.e2e\\.test\\.ts$'] : []),
				// Only an n8n with its SSRF protection on runs the SSRF checks (scripts/test-all.sh).
				...(process.env.N8N_SSRF_PROTECTION_ENABLED === 'true' ? [] : ['/ssrf\\.e2e\\.test\\.ts$']),
			],
			setupFilesAfterEnv: ['<rootDir>/test/e2e/timeout.js'],
			globalSetup: '<rootDir>/test/e2e/global-setup.mjs',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.mjs',
		},
	],
};
