/**
 * What a waiting execution remembers, and how its resume call is trusted, on every n8n version.
 *
 * n8n signs `$execution.resumeUrl` and checks the signature for every waiting node only from 2.14;
 * before, anyone who knows an execution id can call `/webhook-waiting/<id>`. So the package adds
 * its own proof to every resume URL it hands a vendor, and every resume call must carry it,
 * whatever n8n checks itself. n8n's own signature stays in the URL.
 *
 * The proof is a capability: 256 random bits made when the URL is handed out, of which only a
 * SHA-256 digest is kept, in the execution's custom data. Nothing about it depends on the
 * credential, so rotating or revoking a key never strands a wait that is out for signature, and a
 * proof is worthless for any other execution. Waits handed out by earlier releases of this package
 * carry an HMAC of the execution id keyed by the credential's secret; they have no digest recorded,
 * and only for them that older proof is still checked (`legacyResumeProof`).
 *
 * What the execution waits for (a signing token, a document id) lives in the execution's custom
 * data too: `this.customData` from n8n-core 2.16, the `$execution.customData` n8n-core builds for
 * the node before. Both write the same execution metadata, which n8n saves with the waiting
 * execution and hands to whichever process takes the resume call (queue mode).
 */
import { createHash, createHmac, randomBytes } from 'crypto';
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { type ApiContext, cachedCredentials } from './http';
import { safeEqual } from './webhook';

/** The query parameter that carries the package's proof on a resume URL. */
export const RESUME_PROOF_PARAMETER = 'esignProof';

/** Query parameters of a resume URL that are capabilities: never emitted, never logged. */
export const RESUME_URL_SECRETS = ['signature', RESUME_PROOF_PARAMETER] as const;

/** Custom-data key holding the digests of the proofs this execution handed out. */
export const RESUME_DIGESTS_KEY = 'esignResumeProofs';

/**
 * Digests are 128-bit (32 hex digits; enough against guessing, since the proof itself is 256 random
 * bits) so that 7 fit in one custom-data value (n8n keeps 255 characters): every resume URL one
 * execution can reasonably hand out (a Send and Wait, or Creates followed by Wait for Signature).
 */
const DIGEST_LENGTH = 32;
const MAX_CUSTOM_DATA_VALUE = 255;

export type WaitingVendor = 'dokobit' | 'okdokument' | 'documentolog';

/** The proof of waits handed out before proofs were random (kept so those waits still resume). */
export function legacyResumeProof(key: string, vendor: WaitingVendor, executionId: string): string {
	return createHmac('sha256', key).update(`esign-resume:${vendor}:${executionId}`).digest('hex');
}

export function proofDigest(proof: string): string {
	return createHash('sha256')
		.update(`esign-resume-proof:${proof}`)
		.digest('hex')
		.slice(0, DIGEST_LENGTH);
}

function recordedDigests(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(',')
		.filter((digest) => /^[0-9a-f]+$/.test(digest) && digest.length === DIGEST_LENGTH);
}

/** One proof per node run: every item of a batch that names this execution's URL shares it. */
const proofsOfRun = new WeakMap<IExecuteFunctions, string>();

/**
 * A new proof for this execution, its digest recorded in custom data before the URL is handed out
 * (so nothing is sent when it cannot be recorded).
 */
function issueResumeProof(ctx: IExecuteFunctions): string {
	const issued = proofsOfRun.get(ctx);
	if (issued !== undefined) return issued;
	const proof = randomBytes(32).toString('hex');
	const data = executionCustomData(ctx);
	const digests = [...recordedDigests(data.get(RESUME_DIGESTS_KEY)), proofDigest(proof)];
	const value = digests.join(',');
	if (value.length <= MAX_CUSTOM_DATA_VALUE) {
		try {
			data.set(RESUME_DIGESTS_KEY, value);
		} catch {
			// manual runs throw where production runs drop the value: both mean "not recorded"
		}
	}
	if (data.get(RESUME_DIGESTS_KEY) !== value) {
		throw new NodeOperationError(ctx.getNode(), 'This execution cannot record another resume URL', {
			description:
				'The proof for the resume URL is kept in the execution’s custom data, which n8n limits to 10 keys. Nothing was sent. Set fewer custom data values, or hand out fewer resume URLs in one execution.',
		});
	}
	proofsOfRun.set(ctx, proof);
	return proof;
}

function ownResumeUrl(ctx: IExecuteFunctions): URL {
	return new URL(String(ctx.getWorkflowDataProxy(0).$execution.resumeUrl));
}

/** This execution's resume URL with a new proof (and any extra query parameters) added. */
export function provenResumeUrl(
	ctx: IExecuteFunctions,
	extra: Record<string, string> = {},
): string {
	const url = ownResumeUrl(ctx);
	for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
	url.searchParams.set(RESUME_PROOF_PARAMETER, issueResumeProof(ctx));
	return url.toString();
}

/**
 * A callback URL the user typed as `{{ $execution.resumeUrl }}` (for Wait for Signature later in
 * the execution) gets a proof; any other URL is returned unchanged.
 */
export function withResumeProof(ctx: IExecuteFunctions, url: string): string {
	let given: URL;
	let own: URL;
	try {
		given = new URL(url);
		own = ownResumeUrl(ctx);
	} catch {
		return url;
	}
	if (given.origin !== own.origin || given.pathname !== own.pathname) return url;
	given.searchParams.set(RESUME_PROOF_PARAMETER, issueResumeProof(ctx));
	return given.toString();
}

/** The URL with its resume capabilities masked, for output that may be shown or logged. */
export function maskResumeSecrets(url: string): string {
	try {
		const parsed = new URL(url);
		const present = RESUME_URL_SECRETS.filter((name) => parsed.searchParams.has(name));
		if (present.length === 0) return url;
		for (const name of present) parsed.searchParams.set(name, '***');
		return parsed.toString();
	} catch {
		return url;
	}
}

/**
 * Whether a resume call carries a proof this execution handed out (compared by digest, in constant
 * time). `legacyKey` is consulted only for a wait with no digest recorded, i.e. one handed out
 * before proofs were random.
 */
export async function hasResumeProof(
	ctx: IWebhookFunctions,
	vendor: WaitingVendor,
	legacyKey: () => Promise<string>,
): Promise<boolean> {
	const given = (ctx.getQueryData() as IDataObject)[RESUME_PROOF_PARAMETER];
	if (typeof given !== 'string' || given === '') return false;
	const digests = recordedDigests(readCustomData(ctx, RESUME_DIGESTS_KEY));
	if (digests.length > 0) {
		const digest = proofDigest(given);
		// Every digest is compared, so the time taken does not tell which one matched.
		return digests.map((recorded) => safeEqual(digest, recorded)).includes(true);
	}
	const key = await legacyKey();
	return key !== '' && safeEqual(given, legacyResumeProof(key, vendor, ctx.getExecutionId()));
}

/** One vendor's resume proof; the credential field is read only for waits from before random proofs. */
export interface VendorResumeProof {
	/** The credential's secret (for redaction, and the proof of older waits). */
	key(ctx: ApiContext): Promise<string>;
	/** This execution's resume URL with a new proof (and any extra query parameters). */
	resumeUrl(ctx: IExecuteFunctions, extra?: Record<string, string>): string;
	/** A callback URL with a proof added when it is this execution's resume URL. */
	addTo(ctx: IExecuteFunctions, url: string): string;
	/** Whether a resume call carries a proof this execution handed out. */
	isCarriedBy(ctx: IWebhookFunctions): Promise<boolean>;
}

export function vendorResumeProof(
	vendor: WaitingVendor,
	credentialType: string,
	keyOf: (credentials: IDataObject) => string,
): VendorResumeProof {
	const key = async (ctx: ApiContext) => keyOf(await cachedCredentials(ctx, credentialType));
	return {
		key,
		resumeUrl: (ctx, extra) => provenResumeUrl(ctx, extra),
		addTo: (ctx, url) => withResumeProof(ctx, url),
		isCarriedBy: async (ctx) => await hasResumeProof(ctx, vendor, async () => await key(ctx)),
	};
}

interface CustomData {
	get(key: string): unknown;
	set(key: string, value: string): void;
}

function isCustomData(value: unknown): value is CustomData {
	const data = value as Partial<CustomData> | undefined;
	return typeof data?.get === 'function' && typeof data?.set === 'function';
}

/** The execution's custom data in the execute step, through whichever API the host offers. */
export function executionCustomData(ctx: IExecuteFunctions): CustomData {
	const native = (ctx as { customData?: unknown }).customData;
	if (isCustomData(native)) return native;
	const proxied = ctx.getWorkflowDataProxy(0).$execution?.customData;
	if (isCustomData(proxied)) return proxied;
	throw new NodeOperationError(
		ctx.getNode(),
		'This n8n cannot record what the execution waits for (execution custom data)',
		{ description: 'Send and Wait needs n8n 1.123 or newer.' },
	);
}

/** Placeholder of a claimed custom-data key whose value is not known yet. */
const RESERVED = '-';

/**
 * Claims custom-data keys before anything is sent. n8n keeps at most 10 keys per execution and
 * drops new ones beyond that (silently outside manual runs); a wait whose awaited value is not
 * recorded could never resume, so that case stops here, before a legally binding request exists.
 */
export function reserveCustomData(ctx: IExecuteFunctions, keys: readonly string[]): CustomData {
	const data = executionCustomData(ctx);
	for (const key of keys) {
		try {
			data.set(key, RESERVED);
		} catch {
			// manual runs throw where production runs drop the value: both mean "not recorded"
		}
		if (data.get(key) !== RESERVED) {
			throw new NodeOperationError(
				ctx.getNode(),
				'This execution cannot record what it waits for',
				{
					description:
						'n8n keeps at most 10 execution custom data keys and this execution has used them all. Set fewer custom data values before this node.',
				},
			);
		}
	}
	return data;
}

/**
 * One value of the waiting execution's custom data, read in the resume call ('' when unset). Before
 * n8n-core 2.16 the webhook context has no `customData`; the `$execution` it builds for expressions
 * (its `additionalKeys`) carries one over the same execution metadata, though expressions cannot
 * call its functions, so it is taken from the context.
 */
export function readCustomData(ctx: IWebhookFunctions, key: string): string {
	const native = (ctx as { customData?: unknown }).customData;
	const legacy = (ctx as { additionalKeys?: { $execution?: { customData?: unknown } } })
		.additionalKeys?.$execution?.customData;
	const data = isCustomData(native) ? native : isCustomData(legacy) ? legacy : undefined;
	const value = data?.get(key);
	return typeof value === 'string' && value !== RESERVED ? value : '';
}
