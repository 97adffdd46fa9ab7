/**
 * What a waiting execution remembers, and how its resume call is trusted, on every n8n version.
 *
 * n8n signs `$execution.resumeUrl` and checks the signature for every waiting node only from 2.14;
 * before, anyone who knows an execution id can call `/webhook-waiting/<id>`. So the package adds
 * its own proof to the resume URL it hands a vendor: HMAC-SHA256 over the vendor and the execution
 * id, keyed by the credential's secret (the vendor holds the key anyway; nobody else does). Every
 * resume call must carry it, whatever n8n checks itself. n8n's own signature stays in the URL.
 *
 * What the execution waits for (a signing token, a document id) lives in the execution's custom
 * data: `this.customData` from n8n-core 2.16, the `$execution.customData` n8n-core builds for the
 * node before. Both write the same execution metadata, which n8n saves with the waiting execution
 * and hands to whichever process takes the resume call (queue mode).
 */
import { createHmac } from 'crypto';
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { type ApiContext, cachedCredentials } from './http';
import { safeEqual } from './webhook';

/** The query parameter that carries the package's proof on a resume URL. */
export const RESUME_PROOF_PARAMETER = 'esignProof';

/** Query parameters of a resume URL that are capabilities: never emitted, never logged. */
export const RESUME_URL_SECRETS = ['signature', RESUME_PROOF_PARAMETER] as const;

export type WaitingVendor = 'dokobit' | 'okdokument' | 'documentolog';

export function resumeProof(key: string, vendor: WaitingVendor, executionId: string): string {
	return createHmac('sha256', key).update(`esign-resume:${vendor}:${executionId}`).digest('hex');
}

function ownResumeUrl(ctx: IExecuteFunctions): URL {
	return new URL(String(ctx.getWorkflowDataProxy(0).$execution.resumeUrl));
}

/** This execution's resume URL with the proof (and any extra query parameters) added. */
export function provenResumeUrl(
	ctx: IExecuteFunctions,
	key: string,
	vendor: WaitingVendor,
	extra: Record<string, string> = {},
): string {
	const url = ownResumeUrl(ctx);
	for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
	url.searchParams.set(RESUME_PROOF_PARAMETER, resumeProof(key, vendor, ctx.getExecutionId()));
	return url.toString();
}

/**
 * A callback URL the user typed as `{{ $execution.resumeUrl }}` (for Wait for Signature later in
 * the execution) gets the proof; any other URL is returned unchanged.
 */
export function withResumeProof(
	ctx: IExecuteFunctions,
	url: string,
	key: string,
	vendor: WaitingVendor,
): string {
	let given: URL;
	let own: URL;
	try {
		given = new URL(url);
		own = ownResumeUrl(ctx);
	} catch {
		return url;
	}
	if (given.origin !== own.origin || given.pathname !== own.pathname) return url;
	given.searchParams.set(RESUME_PROOF_PARAMETER, resumeProof(key, vendor, ctx.getExecutionId()));
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

/** Whether a resume call carries this execution's proof (one value, compared in constant time). */
export function hasResumeProof(
	ctx: IWebhookFunctions,
	key: string,
	vendor: WaitingVendor,
): boolean {
	const given = (ctx.getQueryData() as IDataObject)[RESUME_PROOF_PARAMETER];
	if (typeof given !== 'string' || !key) return false;
	return safeEqual(given, resumeProof(key, vendor, ctx.getExecutionId()));
}

/** One vendor's resume proof, keyed by a field of its credential (read once per node run). */
export interface VendorResumeProof {
	/** The key: the credential's secret the proof is made with. */
	key(ctx: ApiContext): Promise<string>;
	/** This execution's resume URL with the proof (and any extra query parameters). */
	resumeUrl(ctx: IExecuteFunctions, extra?: Record<string, string>): Promise<string>;
	/** A callback URL with the proof added when it is this execution's resume URL. */
	addTo(ctx: IExecuteFunctions, url: string): Promise<string>;
	/** Whether a resume call carries this execution's proof. */
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
		resumeUrl: async (ctx, extra) => provenResumeUrl(ctx, await key(ctx), vendor, extra),
		addTo: async (ctx, url) => withResumeProof(ctx, url, await key(ctx), vendor),
		isCarriedBy: async (ctx) => hasResumeProof(ctx, await key(ctx), vendor),
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
