// Dokobit Documents Gateway emulator, strict like the real service (vendor-apis.md §2, §6.2).
import { createHash } from 'node:crypto';
import { HttpError, normaliseLists, startEmulator } from './frame.mjs';
import { samplePdf, signedVariant } from './pdf.mjs';

export const DOKOBIT_TOKENS = {
	sandbox: 'example-dokobit-token',
	production: 'example-dokobit-prod-token',
};

const SIGNING_TYPES = [
	'pdf',
	'pdflt',
	'asice',
	'adoc',
	'adoc.bedoc',
	'adoc.cedoc',
	'adoc.gedoc',
	'adoc.ggedoc',
	'mdoc',
	'mdoc.bedoc',
	'mdoc.cedoc',
	'mdoc.gedoc',
	'mdoc.ggedoc',
	'bdoc',
	'edoc',
];
const PURPOSES = [
	'signature',
	'confirmation',
	'visa',
	'conciliation',
	'registration',
	'registration-of-incoming-documents',
	'acknowledgement',
	'notarisation',
	'copy-certification',
];
const OPTIONS = ['mobile', 'smartid', 'stationary', 'eparaksts_mobile', 'audkenni_app'];
const LANGUAGES = ['en', 'et', 'is', 'lt', 'lv', 'ru'];
const SIGNER_KEYS = [
	'id',
	'name',
	'surname',
	'signing_purpose',
	'code',
	'phone',
	'country_code',
	'signing_options',
	'company',
	'country',
	'city',
	'postal_code',
	'position',
	'structural_subdivision',
	'pdf',
	'pdflt',
	'adoc',
	'mdoc',
	'email',
	'notifications_language',
];
const CODE =
	/^((11412090004)|([3456][0-9]{2}(0[1-9]|1[0-2])\d{6})|([0-9]{2}(0[1-9]|1[0-2])[0-9]{2}[+\-A]\d{4}))$/;
const PHONE = /^\+((3706\d{7})|(372\d{7,8})|(358(4[0-9]|467|50)\d{4,8}))$/;
const DAY = 24 * 3600_000;
/** Documented postback retries: +5 min, +1 h, +24 h (support article 820). */
export const POSTBACK_RETRIES_MS = [5 * 60_000, 3600_000, DAY];

const invalid = (...errors) =>
	new HttpError(400, { status: 'error', message: 'Data validation failed', errors, code: 10000 });
const notExpected = (field) => invalid(`${field}: This field was not expected.`);
const isUrl = (value) => {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};
const blank = (value) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export function dokobitEmulator(options = {}) {
	const retentionMs = options.retentionMs ?? 30 * DAY;
	const pendingPolls = options.pendingPolls ?? 2;
	return (ctx) => {
		const files = new Map();
		const signings = new Map();
		const batches = new Map();
		const tokens = new Set(options.tokens ?? Object.values(DOKOBIT_TOKENS));

		const auth = (query) => {
			// Only the query string counts; a header or body token is ignored.
			if (!tokens.has(query.access_token))
				throw new HttpError(403, {
					status: 'error',
					message: 'Access forbidden. Invalid API key.',
				});
		};
		const alive = (entry) => entry && ctx.now() - entry.createdAt < retentionMs;
		const signingOr404 = (token) => {
			const signing = signings.get(token);
			if (!alive(signing) || signing.deleted)
				throw new HttpError(404, { status: 'error', message: 'Signing not found' });
			return signing;
		};
		const onlyKeys = (body, allowed, prefix = '') => {
			for (const key of Object.keys(body ?? {}))
				if (!allowed.includes(key)) throw notExpected(`${prefix}${key}`);
		};

		function validateSigner(signer, label) {
			if (!signer || typeof signer !== 'object' || Array.isArray(signer))
				throw invalid(`${label}: This value should be of type object.`);
			onlyKeys(signer, SIGNER_KEYS, `${label}[`);
			for (const key of ['id', 'name', 'surname'])
				if (blank(signer[key])) throw invalid(`${label}[${key}]: This value should not be blank.`);
			for (const [key, value] of Object.entries(signer))
				if (blank(value)) throw invalid(`${label}[${key}]: This value should not be blank.`);
			if (signer.signing_purpose === undefined)
				throw invalid(`${label}[signing_purpose]: This field is missing.`);
			if (!PURPOSES.includes(signer.signing_purpose))
				throw invalid(`${label}[signing_purpose]: The value you selected is not a valid choice.`);
			if (ctx.strict && signer.code !== undefined && !CODE.test(String(signer.code)))
				throw invalid(`${label}[code]: This value is not valid.`);
			if (ctx.strict && signer.phone !== undefined && !PHONE.test(String(signer.phone)))
				throw invalid(`${label}[phone]: This value is not valid.`);
			if (signer.signing_options !== undefined) {
				const list = normaliseLists(signer.signing_options);
				if (!Array.isArray(list) || !list.every((option) => OPTIONS.includes(option)))
					throw invalid(`${label}[signing_options]: One or more of the given values is invalid.`);
			}
		}

		function addSigners(signing, list) {
			const signers = normaliseLists(list);
			if (!Array.isArray(signers) || signers.length === 0)
				throw invalid('signers: This value should not be blank.');
			signers.forEach((signer, index) => validateSigner(signer, `signers[${index}]`));
			const ids = new Set(signing.signers.map((signer) => signer.id));
			for (const signer of signers) {
				if (ids.has(String(signer.id)))
					throw invalid(`signers: Signer with id "${signer.id}" already exists.`);
				ids.add(String(signer.id));
			}
			for (const signer of signers) {
				signing.signers.push({
					...signer,
					id: String(signer.id),
					token: ctx.id('st', 10),
					status: 'pending',
				});
			}
		}

		function signerMap(signing) {
			return Object.fromEntries(signing.signers.map((signer) => [signer.id, signer.token]));
		}

		function postback(signing, action, extra = {}) {
			if (!signing.postbackUrl) return;
			const payload = { status: 'ok', token: signing.token, action, ...extra };
			ctx.deliver(signing.postbackUrl, payload, {
				retryScheduleMs: options.retryScheduleMs ?? POSTBACK_RETRIES_MS,
			});
		}

		function fileUrl(signing) {
			return `${ctx.baseUrl}/api/signing/${signing.token}/download`;
		}

		function complete(signing) {
			signing.status = 'completed';
			const original = files.get(signing.files[0].token);
			signing.signedBytes = signedVariant(
				original.bytes,
				signing.signers.map((s) => `${s.name} ${s.surname}`),
			);
			signing.validTo = new Date(ctx.now() + retentionMs)
				.toISOString()
				.replace('T', ' ')
				.slice(0, 19);
			postback(signing, 'signing_completed', {
				file: fileUrl(signing),
				file_digest: sha256(signing.signedBytes),
				valid_to: signing.validTo,
			});
			const level = signing.options?.level;
			if (level && /ltv|xl/i.test(level)) ctx.later(1000, () => archive(signing, true));
		}

		function archive(signing, ok) {
			if (ok) {
				signing.status = 'archived';
				postback(signing, 'signing_archived', { file: fileUrl(signing) });
			} else {
				signing.status = 'failed';
				postback(signing, 'signing_archive_failed');
			}
		}

		const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
		const sha1 = (bytes) => createHash('sha1').update(bytes).digest('hex');

		function decodeFile(file, label, { needContent }) {
			if (!file || typeof file !== 'object') throw invalid(`${label}: This field is missing.`);
			onlyKeys(file, ['name', 'digest', 'url', 'content', 'token'], `${label}[`);
			if (blank(file.name)) throw invalid(`${label}[name]: This value should not be blank.`);
			if (blank(file.digest) || !/^([0-9a-f]{64}|[0-9a-f]{40})$/i.test(file.digest))
				throw invalid(`${label}[digest]: This value is not valid.`);
			const hasUrl = !blank(file.url);
			const hasContent = !blank(file.content);
			if (hasUrl === hasContent || (needContent && !hasContent))
				throw invalid(`${label}: Exactly one of url or content must be given.`);
			if (hasUrl && !isUrl(file.url))
				throw invalid(`${label}[url]: This value is not a valid URL.`);
			if (hasContent) {
				const text = String(file.content);
				if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
					throw invalid(`${label}[content]: This value is not valid base64.`);
				const bytes = Buffer.from(text, 'base64');
				if (![sha256(bytes), sha1(bytes)].includes(String(file.digest).toLowerCase()))
					throw invalid(`${label}[digest]: Digest does not match file content.`);
				return { bytes };
			}
			return { url: file.url };
		}

		const routes = [
			[
				'POST',
				/^\/api\/(?:file\/)?upload\.json$/,
				({ query, body }) => {
					auth(query);
					onlyKeys(body, ['file']);
					const decoded = decodeFile(body?.file, 'file', { needContent: false });
					const token = ctx.id('f', 12);
					const entry = {
						token,
						name: body.file.name,
						digest: String(body.file.digest).toLowerCase(),
						createdAt: ctx.now(),
						status: 'uploaded',
						polls: 0,
					};
					if (decoded.bytes) entry.bytes = decoded.bytes;
					else {
						entry.status = 'pending';
						entry.url = decoded.url;
						fetch(decoded.url)
							.then(async (response) => {
								const bytes = Buffer.from(await response.arrayBuffer());
								if (!response.ok || ![sha256(bytes), sha1(bytes)].includes(entry.digest))
									entry.fetchFailed = true;
								else entry.bytes = bytes;
							})
							.catch(() => {
								entry.fetchFailed = true;
							});
					}
					files.set(token, entry);
					return { json: { status: 'ok', token } };
				},
			],
			[
				'GET',
				/^\/api\/(?:file\/upload\/(?<a>[^/]+)\/status|file\/upload\/status\/(?<b>[^/]+)|upload\/status\/(?<c>[^/]+))\.json$/,
				({ query, params }) => {
					auth(query);
					const entry = files.get(params.a ?? params.b ?? params.c);
					if (!alive(entry) || entry.deleted)
						throw new HttpError(404, { status: 'error', message: 'File not found' });
					if (entry.status === 'pending') {
						entry.polls++;
						if (entry.fetchFailed) entry.status = 'error';
						else if (entry.bytes && entry.polls > pendingPolls) entry.status = 'uploaded';
					}
					return { json: { status: entry.status } };
				},
			],
			[
				'POST',
				/^\/api\/file\/(?<token>[^/]+)\/delete\.json$/,
				({ query, params, body }) => {
					auth(query);
					onlyKeys(body, ['token']);
					const entry = files.get(params.token);
					if (!alive(entry) || entry.deleted)
						throw new HttpError(404, { status: 'error', message: 'File not found' });
					entry.deleted = true;
					return { json: { status: 'ok' } };
				},
			],
			[
				'POST',
				/^\/api\/file\/check\.json$/,
				({ query, body }) => {
					auth(query);
					onlyKeys(body, ['type', 'file']);
					if (!SIGNING_TYPES.includes(body?.type))
						throw invalid('type: The value you selected is not a valid choice.');
					const { bytes } = decodeFile(body.file, 'file', { needContent: true });
					const signed = bytes.includes('n8n-esign-sandbox: signed');
					return {
						json: {
							status: 'ok',
							structure: signed
								? { signatures: [{ signer: 'Sandbox Signer', valid: true, level: 'PAdES-B' }] }
								: { signatures: [] },
						},
					};
				},
			],
			[
				'POST',
				/^\/api\/archive\.json$/,
				({ query, body }) => {
					auth(query);
					onlyKeys(body, ['type', 'file']);
					if (!SIGNING_TYPES.includes(body?.type))
						throw invalid('type: The value you selected is not a valid choice.');
					let bytes;
					if (body.file?.token !== undefined) {
						const entry = files.get(body.file.token);
						if (!alive(entry) || !entry.bytes) throw invalid('file[token]: File not found.');
						bytes = entry.bytes;
					} else bytes = decodeFile(body.file, 'file', { needContent: true }).bytes;
					const archived = Buffer.concat([bytes, Buffer.from('\n%n8n-esign-sandbox: ltv\n')]);
					return {
						json: {
							status: 'ok',
							file: archived.toString('base64'),
							structure: { signatures: [{ level: 'PAdES-LTA' }] },
						},
					};
				},
			],
			[
				'POST',
				/^\/api\/signing\/create\.json$/,
				({ query, body }) => {
					auth(query);
					onlyKeys(body, [
						'type',
						'name',
						'files',
						'signers',
						'postback_url',
						'language',
						...SIGNING_TYPES,
					]);
					if (!SIGNING_TYPES.includes(body?.type))
						throw invalid('type: The value you selected is not a valid choice.');
					if (blank(body.name)) throw invalid('name: This value should not be blank.');
					const fileList = normaliseLists(body.files);
					if (!Array.isArray(fileList) || fileList.length === 0)
						throw invalid('files: This value should not be blank.');
					if (body.type === 'pdf' && fileList.length !== 1)
						throw invalid("files: For 'pdf' type only one file is supported.");
					fileList.forEach((file, index) => {
						onlyKeys(file, ['token', 'type'], `files[${index}][`);
						const entry = files.get(file?.token);
						if (!alive(entry) || entry.deleted)
							throw invalid(`files[${index}][token]: File not found.`);
						if (entry.status !== 'uploaded')
							throw invalid(`files[${index}][token]: File is not uploaded yet.`);
						if (file.type !== undefined && !['main', 'appendix', 'attachment'].includes(file.type))
							throw invalid(`files[${index}][type]: The value you selected is not a valid choice.`);
					});
					if (body.postback_url !== undefined && !isUrl(body.postback_url))
						throw invalid('postback_url: This value is not a valid URL.');
					if (body.language !== undefined && !LANGUAGES.includes(body.language))
						throw invalid('language: The value you selected is not a valid choice.');
					if (
						body.signers !== undefined &&
						(Array.isArray(normaliseLists(body.signers))
							? normaliseLists(body.signers).length === 0
							: true)
					)
						throw invalid('signers: This value should not be blank.');
					const signing = {
						token: ctx.id('s', 14),
						type: body.type,
						name: body.name,
						files: fileList,
						signers: [],
						status: 'pending',
						postbackUrl: body.postback_url,
						language: body.language,
						options: body[body.type],
						createdAt: ctx.now(),
					};
					if (body.signers !== undefined) addSigners(signing, body.signers);
					signings.set(signing.token, signing);
					return { json: { status: 'ok', token: signing.token, signers: signerMap(signing) } };
				},
			],
			[
				'POST',
				/^\/api\/signing\/(?<token>[^/]+)\/addsigner\.json$/,
				({ query, params, body }) => {
					auth(query);
					onlyKeys(body, ['signers']);
					const signing = signingOr404(params.token);
					if (signing.status !== 'pending') throw invalid('Signing is already completed.');
					addSigners(signing, body?.signers);
					return { json: { status: 'ok', signers: signerMap(signing) } };
				},
			],
			[
				'POST',
				/^\/api\/signing\/(?<token>[^/]+)\/removesigner\.json$/,
				({ query, params, body }) => {
					auth(query);
					onlyKeys(body, ['signers']);
					const signing = signingOr404(params.token);
					if (signing.status !== 'pending') throw invalid('Signing is already completed.');
					const list = normaliseLists(body?.signers);
					if (!Array.isArray(list) || list.length === 0)
						throw invalid('signers: This value should not be blank.');
					for (const [index, entry] of list.entries()) {
						onlyKeys(entry, ['id'], `signers[${index}][`);
						if (!signing.signers.some((signer) => signer.id === String(entry?.id)))
							throw invalid(`signers[${index}][id]: Signer not found.`);
					}
					const remove = new Set(list.map((entry) => String(entry.id)));
					signing.signers = signing.signers.filter((signer) => !remove.has(signer.id));
					return { json: { status: 'ok' } };
				},
			],
			[
				'GET',
				/^\/api\/signing\/(?<token>[^/]+)\/status\.json$/,
				({ query, params }) => {
					auth(query);
					const signing = signingOr404(params.token);
					const done = signing.status !== 'pending';
					return {
						json: {
							status: signing.status,
							signers: Object.fromEntries(
								signing.signers.map((signer) => [
									signer.id,
									{
										status: signer.status,
										...(signer.signingTime
											? {
													signing_time: signer.signingTime,
													signature_id: signer.signatureId,
													code: signer.code,
													signing_option: signer.signingOption,
												}
											: {}),
									},
								]),
							),
							file: done ? fileUrl(signing) : null,
							file_digest: done ? sha256(signing.signedBytes) : null,
							valid_to: done ? signing.validTo : null,
							structure: done
								? {
										signatures: signing.signers
											.filter((s) => s.status === 'signed')
											.map((s) => ({
												signer: `${s.name} ${s.surname}`,
												signature_id: s.signatureId,
											})),
									}
								: null,
						},
					};
				},
			],
			[
				'GET',
				/^\/api\/signing\/(?<token>[^/]+)\/download$/,
				({ query, params }) => {
					auth(query);
					const signing = signingOr404(params.token);
					if (signing.status === 'pending') throw invalid('Signing is not completed yet.');
					const pdf = signing.type === 'pdf' || signing.type === 'pdflt';
					const name = `${signing.name.replace(/[^\w.-]+/g, '_')}.${pdf ? 'pdf' : signing.type.split('.')[0]}`;
					return {
						body: signing.signedBytes,
						headers: {
							'content-type': pdf ? 'application/pdf' : 'application/vnd.etsi.asic-e+zip',
							'content-disposition': `attachment; filename="${name}"`,
						},
					};
				},
			],
			[
				'POST',
				/^\/api\/signing\/(?<token>[^/]+)\/delete\.json$/,
				({ query, params, body }) => {
					auth(query);
					onlyKeys(body, ['token']);
					signingOr404(params.token).deleted = true;
					return { json: { status: 'ok' } };
				},
			],
			[
				'POST',
				/^\/api\/signing\/(?<token>[^/]+)\/archive\.json$/,
				({ query, params, body }) => {
					auth(query);
					onlyKeys(body, ['postback_url']);
					const signing = signingOr404(params.token);
					if (body?.postback_url !== undefined) {
						if (!isUrl(body.postback_url))
							throw invalid('postback_url: This value is not a valid URL.');
						signing.postbackUrl = body.postback_url;
					}
					if (signing.status !== 'completed') throw invalid('Signing is not completed yet.');
					ctx.later(500, () => archive(signing, options.archiveSucceeds ?? true));
					return { json: { status: 'ok' } };
				},
			],
			[
				'POST',
				/^\/api\/signing\/(?<token>[^/]+)\/seal\.json$/,
				({ query, params, body }) => {
					auth(query);
					onlyKeys(body, ['name', 'signing_purpose', 'pdf']);
					const signing = signingOr404(params.token);
					if (blank(body?.name)) throw invalid('name: This value should not be blank.');
					if (body.signing_purpose !== undefined && !PURPOSES.includes(body.signing_purpose))
						throw invalid('signing_purpose: The value you selected is not a valid choice.');
					const annotation = body.pdf?.annotation;
					if (body.pdf !== undefined) {
						onlyKeys(body.pdf, ['annotation'], 'pdf[');
						for (const key of ['page', 'top', 'left', 'width', 'height'])
							if (typeof annotation?.[key] !== 'number')
								throw invalid(`pdf[annotation][${key}]: This value should be numeric.`);
					}
					signing.sealed = { name: body.name, annotation };
					return { json: { status: 'ok', token: signing.token } };
				},
			],
			[
				'POST',
				/^\/api\/signing\/createbatch\.json$/,
				({ query, body }) => {
					auth(query);
					onlyKeys(body, ['signings']);
					const list = normaliseLists(body?.signings);
					if (!Array.isArray(list) || list.length === 0)
						throw invalid('signings: This value should not be blank.');
					if (list.length > 20)
						throw invalid('signings: This collection should contain 20 elements or less.');
					list.forEach((entry, index) => {
						onlyKeys(entry, ['token', 'signer_token'], `signings[${index}][`);
						const signing = signings.get(entry?.token);
						if (!alive(signing) || signing.deleted)
							throw invalid(`signings[${index}][token]: Signing not found.`);
						if (
							entry.signer_token !== undefined &&
							!signing.signers.some((s) => s.token === entry.signer_token)
						)
							throw invalid(`signings[${index}][signer_token]: Signer not found.`);
					});
					const token = ctx.id('b', 12);
					batches.set(token, list);
					return { json: { status: 'ok', token } };
				},
			],
			// Browser pages: the signer's page (access_token = signer token) and the file viewer.
			[
				'GET',
				/^\/signing\/(?<token>[^/]+)$/,
				({ params, query }) => {
					const signing = signings.get(params.token);
					const signer = signing?.signers.find((s) => s.token === query.access_token);
					if (!signing || !signer)
						return {
							status: 403,
							body: '<!doctype html><title>Forbidden</title><p>Invalid signer access token.</p>',
							headers: { 'content-type': 'text/html' },
						};
					return {
						body: `<!doctype html><title>${signing.name}</title><h1>${signing.name}</h1><p>Signer: ${signer.name} ${signer.surname} (${signer.status})</p><form method="post" action="/__signings/${signing.token}/signers/${encodeURIComponent(signer.id)}/sign"><button>Sign with Smart-ID</button></form>`,
						headers: { 'content-type': 'text/html; charset=utf-8' },
					};
				},
			],
			[
				'GET',
				/^\/signing\/(?:batch|sequence)\/(?<token>[^/]+)$/,
				({ params }) => {
					if (!batches.has(params.token)) return { status: 404, body: 'Batch not found' };
					return {
						body: `<!doctype html><title>Batch</title><p>${batches.get(params.token).length} documents</p>`,
						headers: { 'content-type': 'text/html' },
					};
				},
			],
			// Control API: act as the signer.
			[
				'POST',
				/^\/__signings\/(?<token>[^/]+)\/signers\/(?<id>[^/]+)\/(?<action>sign|fail)$/,
				({ params, body }) => {
					const signing = signingOr404(params.token);
					const signer = signing.signers.find((s) => s.id === decodeURIComponent(params.id));
					if (!signer) throw new HttpError(404, { message: 'No such signer' });
					if (signing.status !== 'pending' || signer.status !== 'pending')
						throw new HttpError(409, {
							message: `Signer is ${signer.status}, signing is ${signing.status}`,
						});
					if (params.action === 'fail') {
						signer.status = 'failed';
						return { json: { ok: true, signer: signer.status } };
					}
					signer.status = 'signed';
					signer.signingTime = new Date(ctx.now()).toISOString().replace('T', ' ').slice(0, 19);
					signer.signatureId = `Signature${signing.signers.filter((s) => s.status === 'signed').length}`;
					signer.signingOption = body?.signing_option ?? 'smartid';
					const signerInfo = {
						code: signer.code ?? '50001018865',
						phone: signer.phone ?? '+37060000666',
						country_code: signer.country_code ?? 'lt',
						signing_option: signer.signingOption,
						type: 'qes',
					};
					postback(signing, 'signer_signed', { signer: signer.id, signer_info: signerInfo });
					if (signing.signers.every((s) => s.status === 'signed')) complete(signing);
					return { json: { ok: true, status: signing.status } };
				},
			],
			[
				'POST',
				/^\/__signings\/(?<token>[^/]+)\/archive$/,
				({ params, query }) => {
					const signing = signingOr404(params.token);
					archive(signing, query.ok !== 'false');
					return { json: { ok: true, status: signing.status } };
				},
			],
			[
				'GET',
				/^\/__signings\/(?<token>[^/]+)$/,
				({ params }) => {
					const signing = signings.get(params.token);
					if (!signing) throw new HttpError(404, { message: 'No such signing' });
					return { json: { ...signing, signedBytes: undefined } };
				},
			],
			[
				'GET',
				/^\/__signings$/,
				() => ({
					json: [...signings.values()].map((s) => ({
						token: s.token,
						name: s.name,
						status: s.status,
						signers: s.signers.map((x) => ({ id: x.id, status: x.status })),
						postbackUrl: s.postbackUrl,
					})),
				}),
			],
			[
				'POST',
				/^\/__sample\.pdf$|^\/__files\/sample\.pdf$/,
				() => ({ body: samplePdf(), headers: { 'content-type': 'application/pdf' } }),
			],
			[
				'GET',
				/^\/__files\/sample\.pdf$/,
				() => ({ body: samplePdf(), headers: { 'content-type': 'application/pdf' } }),
			],
		];

		return {
			routes,
			notFoundBody: { status: 'error', message: 'Requested URL was not found.' },
			reset() {
				files.clear();
				signings.clear();
				batches.clear();
			},
		};
	};
}

export async function startDokobit(options = {}) {
	return await startEmulator({
		name: 'dokobit',
		port: options.port,
		timeScale: options.timeScale ?? 1,
		strict: options.strict ?? true,
		setup: dokobitEmulator(options),
	});
}
