/**
 * The Documentolog Trigger's keyring: the URL secrets it has issued or accepted, so that URLs
 * already handed to Documentolog keep working after the credential's key changes (helpers/secret.ts
 * derives the secret from that key, and the vendor keeps calling the URL it was given).
 *
 * - What is kept: SHA-256 digests of secret and webhook ID, with the time each was first seen, in
 *   the trigger node's static data; never a secret, never a key. At most `KEYRING.max` digests;
 *   the oldest go first.
 * - When: on activation (`create`, after `checkExists` found the current secret missing), and on
 *   every authentic production delivery, which records the current secret too. n8n saves the node's
 *   static data after both (n8n 2.41.1 `workflow-trigger-activator.js` and `live-webhooks.js`).
 *   Test runs (webhook-test URLs) save no static data, so they record nothing.
 * - Concurrency: a delivery's save overwrites static data with the copy it loaded. Digests are
 *   only ever added to the loaded copy, and this process's own copy (`scope`) is merged back in
 *   before each save; a digest recorded by another process (queue mode) while a delivery ran can
 *   still be dropped by that delivery's save. Such a digest is the secret of the key current at
 *   the time, so the next authentic delivery before the key changes again records it once more.
 * - Deactivation keeps the keyring: the URLs are still out there.
 */
import type { IDataObject, IHookFunctions, INodeType } from 'n8n-workflow';
import { createHash } from 'crypto';
import {
	type DedupeOptions,
	dedupeScope,
	readRemembered,
	rememberOnce,
	safeEqual,
	syncRemembered,
} from '../../shared/webhook';
import { deriveWebhookSecret, signingKeyOf } from './secret';

/** Static-data field, bound and lifetime of the keyring (no expiry: documents can wait months). */
export const KEYRING = { field: 'acceptedSecrets', max: 20, ttlMs: Number.POSITIVE_INFINITY };

export interface KeyringScope {
	webhookId: string;
	/** Names this process's copy (see `keyringScope`); none in tests of the pure helpers. */
	scope?: string;
	/** Current time in ms (tests). */
	now?: number;
}

/** A digest bound to the webhook ID, so a replaced trigger node accepts none of the old secrets. */
export function secretDigest(webhookId: string, secret: string): string {
	return createHash('sha256').update(`documentolog-trigger:${webhookId}:${secret}`).digest('hex');
}

/** The process-memory scope of one trigger node's keyring: apart from its dedupe store, per URL. */
export function keyringScope(ctx: Parameters<typeof dedupeScope>[0]): string {
	return `${dedupeScope(ctx)}:keyring:${ctx.getNode().webhookId ?? ''}`;
}

function storeOptions({ scope, now }: KeyringScope): DedupeOptions {
	return { ...KEYRING, scope, now };
}

/**
 * True when the keyring holds the digest of `secret`. Every entry is compared, in constant time,
 * whatever matches first.
 */
export function keyringHolds(
	staticData: IDataObject,
	secret: string,
	keyring: KeyringScope,
): boolean {
	const wanted = secretDigest(keyring.webhookId, secret);
	let held = false;
	for (const digest of Object.keys(readRemembered(staticData, storeOptions(keyring)))) {
		held = safeEqual(digest, wanted) || held;
	}
	return held;
}

/**
 * Adds the digests of `secrets` not yet held, then writes back any this process holds and static
 * data lacks. Static data is written (and so saved by n8n) only when it changed.
 */
export function rememberSecrets(
	staticData: IDataObject,
	secrets: readonly string[],
	keyring: KeyringScope,
): void {
	const options = storeOptions(keyring);
	for (const secret of secrets)
		rememberOnce(staticData, secretDigest(keyring.webhookId, secret), options);
	syncRemembered(staticData, options);
}

/**
 * The check for `readSecuredEvent`: the secret derived from the current key, or one the keyring
 * holds. Both comparisons always run.
 */
export function acceptsTriggerSecret(
	staticData: IDataObject,
	current: string,
	keyring: KeyringScope,
): (given: string) => boolean {
	return (given) => {
		const derived = safeEqual(given, current);
		const remembered = keyringHolds(staticData, given, keyring);
		return derived || remembered;
	};
}

/** The secret the trigger's URL needs now, or undefined when the credential yields none. */
async function currentSecret(ctx: IHookFunctions): Promise<string | undefined> {
	const webhookId = ctx.getNode().webhookId;
	let key = '';
	try {
		key = signingKeyOf(await ctx.getCredentials<IDataObject>('documentologApi'));
	} catch (error) {
		// Activation goes on as before; the trigger answers 503 until the credential is usable.
		ctx.logger.warn('Documentolog Trigger cannot read its credential on activation', {
			error: (error as Error).message,
		});
	}
	return key && webhookId ? deriveWebhookSecret(key, webhookId) : undefined;
}

async function keyringOf(ctx: IHookFunctions) {
	const secret = await currentSecret(ctx);
	const keyring = { webhookId: ctx.getNode().webhookId ?? '', scope: keyringScope(ctx) };
	return { secret, keyring, staticData: ctx.getWorkflowStaticData('node') };
}

/**
 * Nothing is registered with Documentolog (the URL travels with each document). Activation only
 * records the current secret; n8n runs `create` when `checkExists` answers false.
 */
export const triggerKeyringMethods = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			const { secret, keyring, staticData } = await keyringOf(this);
			return secret === undefined || keyringHolds(staticData, secret, keyring);
		},
		async create(this: IHookFunctions): Promise<boolean> {
			const { secret, keyring, staticData } = await keyringOf(this);
			if (secret !== undefined) rememberSecrets(staticData, [secret], keyring);
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
} satisfies NonNullable<INodeType['webhookMethods']>;
