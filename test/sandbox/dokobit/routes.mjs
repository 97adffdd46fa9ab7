// Dokobit Documents Gateway emulator: its API (`/api/…`), the signer's pages and the control API
// (`/__…`), each route as docs/vendor-apis.md › Dokobit Documents Gateway describes it.
import { HttpError, normaliseLists } from '../frame.mjs';
import { samplePdf } from '../pdf.mjs';
import { generatedSignedFile } from './state.mjs';
import {
	LANGUAGES,
	PURPOSES,
	SIGNING_TYPES,
	blank,
	invalid,
	isUrl,
	sha1,
	sha256,
} from './validation.mjs';

/** The routes over one instance's `store` (state.mjs), checked by its `validators` (validation.mjs). */
export function dokobitRoutes(ctx, store, validators, options, { pendingPolls }) {
	const { files, signings, batches, auth, alive, signingOr404, signerMap, postback } = store;
	const { fileUrl, complete, archive, signedDigest } = store;
	const { onlyKeys, addSigners, decodeFile } = validators;

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
						file_digest: done ? signedDigest(signing) : null,
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
			async ({ query, params, res }) => {
				auth(query);
				const signing = signingOr404(params.token);
				if (signing.status === 'pending') throw invalid('Signing is not completed yet.');
				const pdf = signing.type === 'pdf' || signing.type === 'pdflt';
				const name = `${signing.name.replace(/[^\w.-]+/g, '_')}.${pdf ? 'pdf' : signing.type.split('.')[0]}`;
				if (signing.signedSize !== undefined) {
					res.writeHead(200, {
						'content-type': pdf ? 'application/pdf' : 'application/vnd.etsi.asic-e+zip',
						'content-disposition': `attachment; filename="${name}"`,
						'content-length': signing.signedSize,
					});
					for (const chunk of generatedSignedFile(signing.signedSize)) {
						if (res.destroyed) return undefined;
						if (!res.write(chunk))
							await new Promise((resolve) => {
								const done = () => {
									res.off('drain', done);
									res.off('close', done);
									resolve();
								};
								res.once('drain', done);
								res.once('close', done);
							});
					}
					res.end();
					return undefined;
				}
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
	return routes;
}
