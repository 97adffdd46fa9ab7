import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import {
	KEYRING,
	acceptsTriggerSecret,
	keyringHolds,
	rememberSecrets,
	secretDigest,
} from '../../../../nodes/Documentolog/helpers/keyring';
import { deriveWebhookSecret } from '../../../../nodes/Documentolog/helpers/secret';
import { clearDedupeMemory } from '../../../../nodes/shared/webhook';

const ID = '1f0c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const OLD = deriveWebhookSecret('example-old-key', ID);
const NEW = deriveWebhookSecret('example-new-key', ID);
const stored = (staticData: IDataObject) => staticData[KEYRING.field] as Record<string, number>;

beforeEach(() => clearDedupeMemory());

describe('Documentolog trigger keyring', () => {
	it('keeps a SHA-256 digest of webhook ID and secret with its first-seen time, never the secret', () => {
		const digest = createHash('sha256').update(`documentolog-trigger:${ID}:${OLD}`).digest('hex');
		expect(secretDigest(ID, OLD)).toBe(digest);
		expect(secretDigest(`${ID}x`, OLD)).not.toBe(digest);

		const staticData: IDataObject = {};
		rememberSecrets(staticData, [OLD], { webhookId: ID, now: 1000 });
		expect(staticData).toEqual({ [KEYRING.field]: { [digest]: 1000 } });
		expect(JSON.stringify(staticData)).not.toContain(OLD);
	});

	it('holds what it remembered, for that webhook ID only', () => {
		const staticData: IDataObject = {};
		const keyring = { webhookId: ID };
		rememberSecrets(staticData, [OLD], keyring);
		expect(keyringHolds(staticData, OLD, keyring)).toBe(true);
		expect(keyringHolds(staticData, NEW, keyring)).toBe(false);
		expect(keyringHolds(staticData, secretDigest(ID, OLD), keyring)).toBe(false);
		expect(keyringHolds(staticData, OLD, { webhookId: `${ID}x` })).toBe(false);
		expect(keyringHolds(staticData, '', keyring)).toBe(false);
		expect(keyringHolds({ [KEYRING.field]: 'junk' }, OLD, keyring)).toBe(false);
		expect(keyringHolds({ [KEYRING.field]: { [secretDigest(ID, OLD)]: 'x' } }, OLD, keyring)).toBe(
			false,
		);
	});

	it('accepts the current secret or a remembered one, nothing else', () => {
		const staticData: IDataObject = {};
		const keyring = { webhookId: ID };
		rememberSecrets(staticData, [OLD], keyring);
		const accepts = acceptsTriggerSecret(staticData, NEW, keyring);
		expect(accepts(NEW)).toBe(true);
		expect(accepts(OLD)).toBe(true);
		expect(accepts(deriveWebhookSecret('example-other-key', ID))).toBe(false);
		expect(accepts(`${NEW} `)).toBe(false);
		expect(accepts('')).toBe(false);
	});

	it('writes static data only when a digest is new, and keeps the first-seen time', () => {
		const staticData: IDataObject = {};
		rememberSecrets(staticData, [OLD], { webhookId: ID, now: 1000 });
		const first = staticData[KEYRING.field];
		rememberSecrets(staticData, [OLD], { webhookId: ID, now: 2000 });
		expect(staticData[KEYRING.field]).toBe(first);
		rememberSecrets(staticData, [OLD, NEW], { webhookId: ID, now: 3000 });
		expect(stored(staticData)).toEqual({
			[secretDigest(ID, OLD)]: 1000,
			[secretDigest(ID, NEW)]: 3000,
		});
	});

	it(`keeps the ${KEYRING.max} newest digests`, () => {
		const staticData: IDataObject = {};
		const secrets = Array.from({ length: KEYRING.max + 3 }, (_, n) =>
			deriveWebhookSecret(`example-key-${n}`, ID),
		);
		secrets.forEach((secret, n) =>
			rememberSecrets(staticData, [secret], { webhookId: ID, now: n }),
		);
		expect(Object.keys(stored(staticData))).toHaveLength(KEYRING.max);
		expect(keyringHolds(staticData, secrets[2], { webhookId: ID })).toBe(false);
		expect(keyringHolds(staticData, secrets[3], { webhookId: ID })).toBe(true);
		expect(keyringHolds(staticData, secrets.at(-1)!, { webhookId: ID })).toBe(true);
	});

	it('adds to what static data holds, never replaces it (entries written by another process stay)', () => {
		const fromElsewhere = { [secretDigest(ID, OLD)]: 500 };
		const staticData: IDataObject = { [KEYRING.field]: { ...fromElsewhere }, seen: { a: 1 } };
		rememberSecrets(staticData, [NEW], { webhookId: ID, now: 1000 });
		expect(stored(staticData)).toEqual({ ...fromElsewhere, [secretDigest(ID, NEW)]: 1000 });
		expect(staticData.seen).toEqual({ a: 1 });
	});

	it('puts back what this process recorded when the copy being saved was loaded before', () => {
		// A delivery loads static data; activation (same process) then records the current secret and
		// saves; the delivery saves last, with the copy it loaded.
		const scope = 'wf-1:trigger:keyring';
		const loadedByDelivery: IDataObject = {};
		const loadedByActivation: IDataObject = {};
		rememberSecrets(loadedByActivation, [OLD], { webhookId: ID, scope, now: 1000 });
		expect(keyringHolds(loadedByDelivery, OLD, { webhookId: ID, scope })).toBe(true);
		rememberSecrets(loadedByDelivery, [], { webhookId: ID, scope });
		expect(stored(loadedByDelivery)).toEqual({ [secretDigest(ID, OLD)]: 1000 });
		// Without the scope (another process) the delivery's copy cannot know it.
		expect(keyringHolds({}, OLD, { webhookId: ID })).toBe(false);
	});
});
