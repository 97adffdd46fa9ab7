import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** One vendor host the credential offers: its name in the options list and its base URL. */
interface VendorHost {
	name: string;
	url: string;
}

/**
 * A vendor's hosts, the one place both the credential (its host choice and declarative test
 * request) and the transport (`baseUrl()` of the VendorApi) read them from. Besides the listed
 * hosts the credential always offers "Custom Base URL" (a proxy, or the local sandbox).
 */
export interface HostTableDefinition<Key extends string> {
	/** The credential field holding the choice, e.g. `environment`. */
	field: string;
	/** That field's label, e.g. `Environment`. */
	displayName: string;
	/** The host used when the field is empty or unknown. */
	default: NoInfer<Key>;
	hosts: Record<Key, VendorHost>;
	/** The Base URL field's placeholder: the vendor's local sandbox address. */
	placeholder: string;
}

export interface HostTable<Key extends string> extends HostTableDefinition<Key> {
	/** The base URL (no trailing slash) the credential names. */
	baseUrl(credentials: IDataObject): string;
	/** `baseUrl()` as an n8n expression, for the credential's declarative test request. */
	expression: string;
	/** The credential's host choice and its Base URL field (fresh objects on every call). */
	properties(): INodeProperties[];
}

const CUSTOM = 'custom';

function stripSlashes(url: unknown): string {
	return String(url ?? '').replace(/\/+$/, '');
}

/** `$credentials.<field> === "a" ? "A" : … : "<default>"`, the default last. */
function hostExpression<Key extends string>(table: HostTableDefinition<Key>): string {
	const field = `$credentials.${table.field}`;
	const others = (Object.keys(table.hosts) as Key[]).filter((key) => key !== table.default);
	const choice = others.reduceRight(
		(otherwise, key) => `${field} === "${key}" ? "${table.hosts[key].url}" : ${otherwise}`,
		`"${table.hosts[table.default].url}"`,
	);
	return `={{${field} === "${CUSTOM}" ? $credentials.baseUrl.replace(/\\/+$/, "") : (${choice})}}`;
}

function hostProperties<Key extends string>(table: HostTableDefinition<Key>): INodeProperties[] {
	const hosts = (Object.keys(table.hosts) as Key[]).map((key) => ({
		name: table.hosts[key].name,
		value: key,
		description: table.hosts[key].url.replace('https://', ''),
	}));
	const initial = table.default;
	return [
		{
			displayName: table.displayName,
			name: table.field,
			type: 'options',
			default: initial,
			options: [
				...hosts,
				{
					name: 'Custom Base URL',
					value: CUSTOM,
					description: 'A proxy, or the local sandbox that ships with this package',
				},
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: table.placeholder,
			required: true,
			displayOptions: { show: { [table.field]: [CUSTOM] } },
		},
	];
}

export function hostTable<Key extends string>(table: HostTableDefinition<Key>): HostTable<Key> {
	const baseUrl = (credentials: IDataObject): string => {
		const key = (credentials[table.field] as Key | typeof CUSTOM | undefined) ?? table.default;
		if (key === CUSTOM) return stripSlashes(credentials.baseUrl);
		const host = Object.prototype.hasOwnProperty.call(table.hosts, key) ? table.hosts[key] : null;
		return (host ?? table.hosts[table.default]).url;
	};
	return {
		...table,
		baseUrl,
		expression: hostExpression(table),
		properties: () => hostProperties(table),
	};
}

/** The origin+path prefix of a base URL, for checking that a vendor-supplied URL stays on it. */
export function isOnBase(url: string, baseUrl: string): boolean {
	let target: URL;
	let base: URL;
	try {
		target = new URL(url);
		base = new URL(baseUrl);
	} catch {
		return false;
	}
	if (!['http:', 'https:'].includes(target.protocol) || target.origin !== base.origin) return false;
	const prefix = base.pathname.replace(/\/+$/, '');
	return prefix === '' || target.pathname === prefix || target.pathname.startsWith(`${prefix}/`);
}

/** Turns a vendor URL into a path relative to the credential's base, or undefined if it points elsewhere. */
export function pathOnBase(url: string, baseUrl: string): `/${string}` | undefined {
	if (!isOnBase(url, baseUrl)) return undefined;
	const target = new URL(url);
	const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
	const path = target.pathname.slice(prefix.length) || '/';
	return `${path}${target.search}` as `/${string}`;
}
