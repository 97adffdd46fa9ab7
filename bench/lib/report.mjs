// Turns the raw results into BENCHMARKS.md: one table (scenario, this package, baseline, ratio,
// peak memory, target, met?), the machine, and how each number was taken.
import fs from 'node:fs';

const MiB = 1024 * 1024;
const s = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '–');
const mib = (bytes) =>
	Number.isFinite(bytes) ? `${(Math.max(0, bytes) / MiB).toFixed(1)} MiB` : '–';
const x = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–');
const yes = (ok) => (ok === undefined ? 'n/a' : ok ? '**yes**' : '**no**');

/** The batch runs of the other two action nodes (the Dokobit ones have rows of their own). */
const OTHER_BATCHES = [
	{
		key: 'batchOkDokument',
		vendor: 'OKdokument',
		what: 'Signature Request → Create (Existing Document), per-item document ID expression',
	},
	{
		key: 'batchDocumentolog',
		vendor: 'Documentolog',
		what: 'Create Signing Session, per-item attachment link expression',
	},
];

/** CPU per item beyond `fetch`, from wall ≈ items × (latency ÷ concurrency + CPU per item). */
function cpuPerItem(run, concurrency) {
	const perItem = (ms) => ms / run.items;
	const fetchCpu = Math.max(0, perItem(run.fetchMs) - run.latencyMs / concurrency);
	return { fetchCpu, extra: perItem(run.nodeMs - run.fetchMs) };
}

export function evaluate(results, { batchConcurrency }) {
	const rows = [];
	const { batch, batchPlain, download, upload, webhook, load, package: pkg } = results;
	if (batch) {
		const ratio = batch.nodeMs / batch.fetchMs;
		rows.push({
			scenario: `Dokobit batch create, ${batch.items} items, File Tokens mode, concurrency ${batchConcurrency}, per-item name expression`,
			ours: s(batch.nodeMs),
			baseline: `${s(batch.fetchMs)} (fetch, same concurrency)`,
			ratio: x(ratio),
			memory: mib(batch.nodePeak),
			target: '≤ 1.25 × fetch',
			met: ratio <= 1.25,
		});
		const speedup = batch.serialMs / batch.nodeMs;
		rows.push({
			scenario: `Dokobit batch create, concurrency ${batchConcurrency} vs 1 (same node)`,
			ours: s(batch.nodeMs),
			baseline: `${s(batch.serialMs)} (concurrency 1)`,
			ratio: `${x(speedup)} faster`,
			memory: mib(batch.nodePeak),
			target: '≥ 8 × faster',
			met: speedup >= 8,
		});
	}
	if (batchPlain) {
		const ratio = batchPlain.nodeMs / batchPlain.fetchMs;
		rows.push({
			scenario: `Dokobit batch create, ${batchPlain.items} items, concurrency ${batchConcurrency}, fixed name (no expression)`,
			ours: s(batchPlain.nodeMs),
			baseline: `${s(batchPlain.fetchMs)} (fetch, same concurrency)`,
			ratio: x(ratio),
			memory: mib(batchPlain.nodePeak),
			target: '≤ 1.25 × fetch',
			met: ratio <= 1.25,
		});
		if (batch) {
			const speedup = batch.serialMs / batchPlain.nodeMs;
			rows.push({
				scenario: `Dokobit batch create, fixed name at concurrency ${batchConcurrency} vs expression at 1`,
				ours: s(batchPlain.nodeMs),
				baseline: `${s(batch.serialMs)} (concurrency 1)`,
				ratio: `${x(speedup)} faster`,
				memory: mib(batchPlain.nodePeak),
				target: '≥ 8 × faster',
				met: speedup >= 8,
			});
		}
	}
	for (const { key, vendor, what } of OTHER_BATCHES) {
		const run = results[key];
		if (!run) continue;
		const ratio = run.nodeMs / run.fetchMs;
		rows.push({
			scenario: `${vendor} batch create, ${run.items} items, ${what}, concurrency ${batchConcurrency}`,
			ours: s(run.nodeMs),
			baseline: `${s(run.fetchMs)} (fetch, same concurrency)`,
			ratio: x(ratio),
			memory: mib(run.nodePeak),
			target: '≤ 1.25 × fetch',
			met: ratio <= 1.25,
		});
		const speedup = run.serialMs / run.nodeMs;
		rows.push({
			scenario: `${vendor} batch create, concurrency ${batchConcurrency} vs 1 (same node)`,
			ours: s(run.nodeMs),
			baseline: `${s(run.serialMs)} (concurrency 1)`,
			ratio: `${x(speedup)} faster`,
			memory: mib(run.nodePeak),
			target: '≥ 8 × faster',
			met: speedup >= 8,
		});
	}
	if (download) {
		const ratio = download.nodeMs / download.fetchMs;
		rows.push({
			scenario: `Download signed file, ${download.bytes / MiB} MiB → binary data, filesystem mode`,
			ours: s(download.nodeMs),
			baseline: `${s(download.fetchMs)} (streaming fetch → file; ${mib(download.fetchPeak)})`,
			ratio: x(ratio),
			memory: `${mib(download.nodePeak)} (max ${mib(download.nodePeakMax)})`,
			target: 'RSS growth ≤ 64 MiB; ≤ 1.3 × fetch',
			met: download.nodePeak <= 64 * MiB && ratio <= 1.3,
		});
	}
	if (upload) {
		for (const [key, label] of [
			['node', 'filesystem mode (n8n default)'],
			['memory', 'in-memory binary (base64 in the item)'],
		]) {
			const run = upload[key];
			if (!run) continue;
			const factor = run.peak / upload.bytes;
			rows.push({
				scenario: `Upload ${upload.bytes / MiB} MiB, base64 + SHA-256, ${label}`,
				ours: s(run.ms),
				baseline: `${s(upload.fetch.ms)} (fetch, naive JSON body; ${mib(upload.fetch.peak)})`,
				ratio: `${x(factor)} file size`,
				memory: `${mib(run.peak)} (max ${mib(run.peakMax)})`,
				target: `RSS growth ≤ 3 × file size (${mib(3 * upload.bytes)})`,
				met: factor <= 3,
			});
		}
	}
	const ok = results.okdokumentUpload;
	if (ok) {
		const factor = ok.node.peak / ok.bytes;
		rows.push({
			scenario: `OKdokument upload ${ok.bytes / MiB} MiB (multipart, Storage Only), filesystem mode`,
			ours: s(ok.node.ms),
			baseline: `${s(ok.fetch.ms)} (fetch, FormData; ${mib(ok.fetch.peak)})`,
			ratio: `${x(factor)} file size`,
			memory: `${mib(ok.node.peak)} (max ${mib(ok.node.peakMax)})`,
			target: `RSS growth ≤ 4 × file size (${mib(4 * ok.bytes)})`,
			met: factor <= 4,
		});
	} else {
		rows.push({
			scenario: 'OKdokument upload, 10 MiB',
			ours: 'skipped',
			baseline: '–',
			ratio: '–',
			memory: '–',
			target: '–',
			met: undefined,
			note: 'not run in this invocation',
		});
	}
	if (webhook) {
		const ratio = webhook.ours / webhook.theirs;
		rows.push({
			scenario: `Webhook: ${webhook.events} postbacks to the Dokobit trigger (each verified against the sandbox), real n8n`,
			ours: `${webhook.ours.toFixed(1)} events/s`,
			baseline: `${webhook.theirs.toFixed(1)} events/s (n8n Webhook node, onReceived)`,
			ratio: x(ratio),
			memory: '–',
			target: `≥ 0.8 × Webhook node; 0 lost (lost: ${webhook.lost})`,
			met: ratio >= 0.8 && webhook.lost === 0,
		});
	}
	rows.push(...autoRows(results));
	if (load) {
		const ratio = load.withMs / load.withoutMs;
		rows.push({
			scenario: 'Load cost: n8n start until ready',
			ours: `${s(load.withMs)} with the package`,
			baseline: `${s(load.withoutMs)} without`,
			ratio: x(ratio),
			memory: pkg ? `packed ${(pkg.packedBytes / 1024).toFixed(1)} KiB` : '–',
			target: '≤ 1.05 × without',
			met: ratio <= 1.05,
		});
	}
	return rows;
}

const failures = (run) =>
	run.failedRuns
		? `; ${run.failedRuns} of its runs failed${run.refused ? `, ${run.refused}×429` : ''}`
		: '';

/** Ratio of each repetition of `ours` to the baseline run interleaved with it. */
const pairedRatios = (ours, baseline) =>
	ours.runs.map((ms, n) => x(ms / baseline.runs[n])).join(', ');

function autoFindings(results) {
	const out = [];
	const reads = results.autoReads;
	const r = reads?.reads;
	if (r) {
		const withCredential = r['HTTP Request node, credential'];
		out.push(
			`- **Auto, no vendor limit.** ${s(r.Auto.ms)} against ${s(r['HTTP Request node'].ms)} for the HTTP Request node with the key as a plain header, ${withCredential ? `${s(withCredential.ms)} for the same node authenticated with the package's credential, ` : ''}and ${s(r['fixed 5'].ms)} at the old default of 5. Both are limited by n8n's CPU per request here, not by how many are in flight. The package's credentials add the key with a function, so n8n evaluates no \`{{$credentials…}}\` expression per request (with n8n's generic block that expression cost about half a millisecond per request and doubled this run's time), and the node hands n8n the credential read once per run; the HTTP Request node with the same credential reads and decrypts it for every request.`,
		);
	}
	const l = reads?.limited;
	if (l) {
		out.push(
			`- **Auto, vendor serves 10 at once.** ${s(l.Auto.ms)} with no error item (median ${l.Auto.refused} 429s, all reads, each sent again after its own \`Retry-After\`) against ${s(l['fetch@10'].ms)} for \`fetch\` at exactly 10 in flight: ${x(l.Auto.ms / l['fetch@10'].ms)} (per repetition, each against the \`fetch\` run next to it: ${pairedRatios(l.Auto, l['fetch@10'])}). Finding a limit the vendor does not announce costs one burst of refusals: Auto lowers its window to what the vendor was serving when it refused (ours in flight, minus the answers already back), and only the refused reads wait out \`Retry-After: 1\`, outside the window, while the others keep the vendor's 10 places busy. What is left is the node's CPU per request in n8n: the node set to exactly the vendor's limit (fixed 10, known in advance, never refused) takes ${l['fixed 10'] ? `${s(l['fixed 10'].ms)} (Auto takes ${x(l.Auto.ms / l['fixed 10'].ms)} that)` : '–'}, fixed 5 ${s(l['fixed 5'].ms)}. A refusal the number in flight does not explain (none of ours at the vendor: a rate or a quota), a create's, and any refusal in a run that sends creates still pause the whole run. The HTTP Request node at its defaults sends everything at once and fails (${l['HTTP Request node'].refused} refusals).`,
		);
	}
	const j = reads?.jitter;
	if (j) {
		out.push(
			`- **Auto, 200 ms ± 50 %.** ${s(j.Auto.ms)}; fixed settings ${Object.entries(j)
				.filter(([name]) => name.startsWith('fixed '))
				.map(([name, run]) => `${name.slice(6)}: ${s(run.ms)}`)
				.join(
					', ',
				)}. With slow answers and no limit more in flight is simply better; Auto goes past the largest fixed setting (32) up to its read cap (64).`,
		);
	}
	const creates = Object.values(results.autoCreates ?? {});
	if (creates.length) {
		out.push(
			`- **Auto, creates against a vendor serving 10 at once.** ${creates
				.map(
					(c) =>
						`${c.label}: ${c.requests} creates for ${c.items} items, ${c.refused} refused (→ ${c.errors} error items), ${c.duplicates} duplicates, ${c.lost + c.notSent} lost, ${s(c.ms)}`,
				)
				.join(
					'; ',
				)}. A run that sends creates grows by about one per round trip only and never goes above the ceiling it learned, so an overshoot refuses one create, once; Dokobit's cap for writes is 10.`,
		);
	}
	return out;
}

/** Rows of the "Request Concurrency: Auto" scenarios (bench/scenarios/auto-concurrency.mjs). */
function autoRows(results) {
	const rows = [];
	const reads = results.autoReads;
	const r = reads?.reads;
	if (r) {
		const ratio = r.Auto.ms / r['HTTP Request node'].ms;
		rows.push({
			scenario: `Auto: ${reads.items} reads (OKdokument counter), no vendor limit, +20 ms, real n8n`,
			ours: `${s(r.Auto.ms)} (fixed 5, the old default: ${s(r['fixed 5'].ms)})`,
			baseline: `${s(r['HTTP Request node'].ms)} (HTTP Request node, defaults, API key as a header)${failures(r['HTTP Request node'])}; the same node with the package's OKdokument credential: ${r['HTTP Request node, credential'] ? s(r['HTTP Request node, credential'].ms) + failures(r['HTTP Request node, credential']) : '–'}; fetch, all at once: ${s(r['fetch@all'].ms)}`,
			ratio: x(ratio),
			memory: '–',
			target: '≤ 1.25 × HTTP Request node; 0 errors',
			met: ratio <= 1.25 && r.Auto.failedRuns === 0,
		});
	}
	const l = reads?.limited;
	if (l) {
		const ratio = l.Auto.ms / l['fetch@10'].ms;
		const http = l['HTTP Request node'];
		rows.push({
			scenario: `Auto: ${reads.items} reads, vendor serves 10 at once (429 + Retry-After: 1 beyond), +20 ms, real n8n`,
			ours: `${s(l.Auto.ms)}, ${l.Auto.failedRuns ? 'errors' : '0 errors'}, ${l.Auto.refused}×429 (each retried after its own Retry-After) (fixed 10, the limit known in advance: ${l['fixed 10'] ? s(l['fixed 10'].ms) : '–'}; fixed 5: ${s(l['fixed 5'].ms)})`,
			baseline: `${s(l['fetch@10'].ms)} (the path's limit: fetch, exactly 10 in flight); HTTP Request node, defaults: ${http.failedRuns ? `fails (${http.refused}×429)` : s(http.ms)}`,
			ratio: x(ratio),
			memory: '–',
			target: "≤ 1.5 × the path's limit; 0 errors",
			met: ratio <= 1.5 && l.Auto.failedRuns === 0,
		});
	}
	const j = reads?.jitter;
	if (j) {
		const fixed = Object.entries(j).filter(([name]) => name.startsWith('fixed '));
		const [bestName, best] = fixed.sort((a, b) => a[1].ms - b[1].ms)[0];
		const ratio = j.Auto.ms / best.ms;
		rows.push({
			scenario: `Auto: ${reads.jitterItems} reads, 200 ms ± 50 % latency, vs a sweep of fixed 4, 8, 16, 32, real n8n`,
			ours: s(j.Auto.ms),
			baseline: `${s(best.ms)} (best fixed: ${bestName.replace('fixed ', '')}; ${fixed
				.sort((a, b) => Number(a[0].slice(6)) - Number(b[0].slice(6)))
				.map(([name, run]) => `${name.slice(6)}: ${s(run.ms)}`)
				.join(', ')}; HTTP Request node ${s(j['HTTP Request node'].ms)})`,
			ratio: x(ratio),
			memory: '–',
			target: '≤ 1.25 × best fixed setting',
			met: ratio <= 1.25 && j.Auto.failedRuns === 0,
		});
	}
	for (const c of Object.values(results.autoCreates ?? {})) {
		const clean =
			!c.failed &&
			c.duplicates === 0 &&
			c.lost === 0 &&
			c.notSent === 0 &&
			c.outOfOrder === 0 &&
			c.errorsNotRefused === 0 &&
			c.refusedNotErrors === 0;
		rows.push({
			scenario: `Auto: ${c.items} creates, ${c.label}, vendor serves 10 at once, +20 ms, continue on fail (n8n-core engine)`,
			ours: `${s(c.ms)}; ${c.requests} creates sent, ${c.refused}×429 → ${c.errors} error items`,
			baseline: '–',
			ratio: '–',
			memory: '–',
			target: `0 duplicates (${c.duplicates}), 0 lost (${c.lost + c.notSent}), errors only for refused items (${c.errorsNotRefused} others)`,
			met: clean,
		});
	}
	return rows;
}

export async function writeReport(file, results, { quick, batchConcurrency }) {
	const rows = evaluate(results, { batchConcurrency });
	const m = results.machine;
	const lines = [];
	lines.push('# Benchmarks');
	lines.push('');
	lines.push(
		`Written by \`npm run bench\` (\`bench/run.mjs\`) on ${results.startedAt.slice(0, 10)}${quick ? ' in **--quick** mode (small sizes, one repetition: a smoke test, not a measurement)' : ''}. Each number is the median of ${results.config.reps} runs (downloads: ${results.config.reps + 2}), taken after an unmeasured warm-up, with this package's runs and the baseline's interleaved in the same \`npm run bench\`. "Met?" is judged on the medians.`,
	);
	lines.push('');
	lines.push(
		'| Scenario | This package | Baseline | Ratio | Peak memory (RSS growth) | Target | Met? |',
	);
	lines.push('| --- | --- | --- | --- | --- | --- | --- |');
	for (const row of rows) {
		const note = row.note ? ` (${row.note})` : '';
		lines.push(
			`| ${row.scenario}${note} | ${row.ours} | ${row.baseline} | ${row.ratio} | ${row.memory} | ${row.target} | ${yes(row.met)} |`,
		);
	}
	lines.push('');
	lines.push(findings(results, rows, batchConcurrency));
	lines.push('');
	lines.push('## Machine');
	lines.push('');
	lines.push(`- CPU: ${m.cpu}, ${m.cores} cores`);
	lines.push(`- Memory: ${(m.memory / 1024 ** 3).toFixed(1)} GiB`);
	lines.push(`- Node: ${m.node}; ${m.os}`);
	lines.push(
		`- Load average (1/5/15 min) before: ${results.loadBefore.map((v) => v.toFixed(2)).join(' / ')}, after: ${results.loadAfter.map((v) => v.toFixed(2)).join(' / ')}. Anything well above ${m.cores} means other work shared the CPUs and slowed the CPU-heavy side (ours) more than the baselines.`,
	);
	lines.push(`- Whole run: ${(results.totalSeconds / 60).toFixed(1)} minutes`);
	lines.push('');
	lines.push(methodology(results, batchConcurrency));
	fs.writeFileSync(file, await format(lines.join('\n')));
	return rows;
}

/** What the numbers say, including why a target is missed where one is. */
function findings(results, rows, batchConcurrency) {
	const out = ['## What the numbers say', ''];
	const { batch, batchPlain, webhook, download, upload, load } = results;
	if (batch) {
		const latency = batch.latencyMs;
		const perItem = (ms) => ms / batch.items;
		// Wall ≈ items × (latency ÷ concurrency + CPU per item): the CPU of the items in flight runs
		// back to back on the one thread, because constant latency returns them together.
		const { fetchCpu, extra } = cpuPerItem(batch, batchConcurrency);
		const extraPlain = batchPlain ? perItem(batchPlain.nodeMs - batchPlain.fetchMs) : NaN;
		const ratioAt = (c) => (latency / c + fetchCpu + extra) / (latency / c + fetchCpu);
		const speedupAt = (c) => batch.serialMs / batch.items / (latency / c + fetchCpu + extra);
		const range = Array.from({ length: 32 }, (_, i) => i + 1);
		const ratioUpTo = range.filter((c) => ratioAt(c) <= 1.25).at(-1);
		const speedupFrom = range.find((c) => speedupAt(c) >= 8);
		out.push(
			`- **Batch create.** With Request Concurrency ${batchConcurrency} the node is ${(batch.serialMs / batch.nodeMs).toFixed(1)}× faster than one item at a time and takes ${(batch.nodeMs / batch.fetchMs).toFixed(2)}× the wall time of a plain \`fetch\` client (${batchPlain ? (batchPlain.nodeMs / batchPlain.fetchMs).toFixed(2) : '–'}× without the per-item expression). The gap is CPU per item on the one JavaScript thread: ${extra.toFixed(2)} ms more than \`fetch\` per item with the expression, ${extraPlain.toFixed(2)} ms without. A CPU profile puts nearly all of it in n8n rather than in this package (whose own code is about 0.05 ms per item): n8n-core's request helper builds a new \`http.Agent\` for every request, so every request opens a new TCP connection where \`fetch\` reuses its connections; then axios, the proxy-environment lookup per request, and n8n's expression evaluation (0.15–0.3 ms per \`{{ }}\`, building \`$now\` with luxon each time). A node cannot hand n8n an agent, so connection reuse is out of its reach.`,
		);
		out.push(
			`- **Why no concurrency meets both batch targets here.** The sandbox adds exactly ${latency} ms, so the items in flight come back together and their CPU work runs back to back: wall ≈ items × (${latency} ms ÷ concurrency + CPU per item), for both clients. Raising the concurrency shrinks the first term, which the 8× target needs, and makes the CPU term dominate, which hurts the ratio to \`fetch\`. With this run's numbers (fetch ${fetchCpu.toFixed(2)} ms CPU per item, node ${(fetchCpu + extra).toFixed(2)} ms), the ratio target holds ${ratioUpTo ? `up to concurrency ${ratioUpTo}` : 'at no concurrency'} and the speed-up target ${speedupFrom ? `from concurrency ${speedupFrom}` : 'at no concurrency up to 32'}. ${batchConcurrency} was chosen to meet the speed-up. Over a real network the latency varies from request to request, the returns spread out and the CPU overlaps the waiting, so the gap to \`fetch\` shrinks.`,
		);
	}
	const others = OTHER_BATCHES.filter(({ key }) => results[key]);
	if (others.length) {
		const parts = others.map(({ key, vendor }) => {
			const run = results[key];
			const { fetchCpu, extra } = cpuPerItem(run, batchConcurrency);
			return `${vendor} ${(run.nodeMs / run.fetchMs).toFixed(2)}× \`fetch\` and ${(run.serialMs / run.nodeMs).toFixed(1)}× faster than at concurrency 1 (CPU per item: fetch ${fetchCpu.toFixed(2)} ms, node ${(fetchCpu + extra).toFixed(2)} ms)`;
		});
		out.push(
			`- **Batch create, OKdokument and Documentolog.** The same Request Concurrency (shared by all three action nodes), the same picture: ${parts.join('; ')}. Each create sends one small JSON request, as Dokobit's does, so the gap to \`fetch\` is again n8n's per-request cost (a new connection per request, axios, expression evaluation) plus the node's own work per item (checking every input before sending, building the output item; Documentolog also decodes the token's expiry and builds the embed HTML and listener script it outputs).`,
		);
	}
	if (download) {
		out.push(
			`- **Download.** The signed file streams from the socket into n8n's binary store (\`encoding: 'stream'\` → \`prepareBinaryData\` → a file); nothing holds the whole file (${mib(download.nodePeak)} median growth for ${download.bytes / MiB} MiB, the plain \`fetch\` → file copy ${mib(download.fetchPeak)}). What growth there is, in both, is made of spent 64 KiB socket chunks waiting for V8 to collect them: V8 starts a collection only after tens of MiB of such external memory, so a streaming copy of a large file in Node peaks around that much whatever the code. The time difference is not fixed cost (a whole workflow run with a tiny signed file takes ${download.nodeSmallMs.toFixed(0)} ms, the bare copy ${download.fetchSmallMs.toFixed(0)} ms) but the bytes' path inside n8n: a CPU profile of the node's download spends about a third of its time in garbage collection, because n8n passes \`maxContentLength: Infinity\` and axios 1.18 then re-wraps every chunk of a streamed response in an async generator (\`enforceMaxContentLength\` → \`Readable.from\`) before n8n-core writes the stream with \`fs.writeFile\`. A node has no option to change either. What a node can change, how it hands the stream to \`prepareBinaryData\`, was tried: merging the socket chunks into 1 MiB pieces (a sixteenth of the awaited writes) took the same CPU time, so the stream is handed over as it comes.`,
		);
	}
	if (upload) {
		const factor = (run) => (run ? (run.peak / upload.bytes).toFixed(1) : '–');
		out.push(
			`- **Upload.** The JSON body is built straight into one Buffer of its final size: the file is read once in 768 KiB slices (streamed from the binary store, or decoded slice by slice from an in-memory item), each slice is hashed and base64-encoded into its place in 48 KiB pieces, and the digest goes into a slot reserved for it. The body is 1.33 × the file; the measured ${factor(upload.node)} × (filesystem) and ${factor(upload.memory)} × (in-memory) add the slices waiting to be collected. The code before this change held the bytes, the base64 string, the JSON string and axios's Buffer copy of it: measured once with the same child-process method at about 5 × (250 MiB for 50 MiB), like the naive baseline's ${mib(upload.fetch.peak)}.`,
		);
	}
	if (results.okdokumentUpload) {
		const ok = results.okdokumentUpload;
		out.push(
			`- **OKdokument upload.** ${(ok.node.peak / ok.bytes).toFixed(1)} × the file. The multipart body is built straight into one Buffer of its final size: boundary and the \`dataText\` part, then the file streamed from the binary store into its place, then the closing boundary; the content check (PDF or Office magic bytes) reads the file inside that Buffer. Before, the upload read the whole file into a Buffer, \`new Uint8Array(file.bytes)\` copied it, the \`Blob\` copied it again and the multipart encoder read it once more: 4.05 × in the previous run. The plain \`fetch\` + FormData baseline, which copies into a Blob, needs ${mib(ok.fetch.peak)}.`,
		);
	}
	if (webhook) {
		out.push(
			`- **Webhook.** ${webhook.ours.toFixed(1)} vs ${webhook.theirs.toFixed(1)} events/s; ${webhook.lost === 0 ? 'no event was lost' : `**${webhook.lost} events were lost**`}. Every postback costs the trigger a credential read and an authenticated GET to the Gateway: the verification that stops forged events, which n8n's Webhook node does not do. In a real n8n a credential read is a database query, a decryption and an expression pass in an isolate, and every authenticated request evaluates \`={{$credentials.accessToken}}\` again; n8n also evaluates \`$parameter["options"]["binaryData"]\` in an isolate for every call to a version-1 webhook node (the Webhook node used here is version 2). A CPU profile of n8n during this benchmark shows these, not the trigger's own code, as the difference. What this package could cut, it did: the credential is now read once per call instead of twice (and handed to n8n's request helper so n8n does not read it again), and the duplicate check no longer merges and sorts its whole store for every event. "Verification: None" skips the GET and the credential read, but then anyone who learns the URL can start the workflow.`,
		);
	}
	out.push(...autoFindings(results));
	if (load) {
		out.push(
			`- **Load cost.** The package has no runtime dependencies and n8n loads its node classes once at start: ${(load.withMs / 1000).toFixed(2)} s vs ${(load.withoutMs / 1000).toFixed(2)} s (medians).`,
		);
	}
	const missed = rows.filter((row) => row.met === false).map((row) => row.scenario);
	out.push('');
	out.push(
		missed.length
			? `Targets not met in this run: ${missed.length} (${missed.join('; ')}).`
			: 'Every target was met in this run.',
	);
	return out.join('\n');
}

function methodology(results, batchConcurrency) {
	const batch = results.batch;
	const extra = [];
	if (batch) {
		extra.push(
			`Raw Dokobit batch runs (ms): fetch ${batch.runs.fetch.map((v) => v.toFixed(0)).join(', ')}; node at ${batchConcurrency} ${batch.runs.node.map((v) => v.toFixed(0)).join(', ')}; node at 1 ${batch.runs.serial.map((v) => v.toFixed(0)).join(', ')}.`,
		);
	}
	for (const { key, vendor } of OTHER_BATCHES) {
		const run = results[key];
		if (!run) continue;
		extra.push(
			`Raw ${vendor} batch runs (ms): fetch ${run.runs.fetch.map((v) => v.toFixed(0)).join(', ')}; node at ${batchConcurrency} ${run.runs.node.map((v) => v.toFixed(0)).join(', ')}; node at 1 ${run.runs.serial.map((v) => v.toFixed(0)).join(', ')}.`,
		);
	}
	if (results.webhook) {
		const w = results.webhook;
		extra.push(
			`Webhook answers per second (HTTP responses only, executions still running): trigger ${w.oursAnswered.toFixed(1)}/s, Webhook node ${w.theirsAnswered.toFixed(1)}/s. Trigger executions recorded: ${JSON.stringify(w.triggerCounts)}, expected ${w.expected} successes.`,
		);
	}
	const reads = results.autoReads;
	for (const [key, what] of [
		['reads', 'Auto reads, no limit'],
		['limited', 'Auto reads, 10 in flight'],
		['jitter', 'Auto reads, 200 ms ± 50 %'],
	]) {
		if (!reads?.[key]) continue;
		extra.push(
			`Raw ${what} runs (ms): ${Object.entries(reads[key])
				.map(
					([name, run]) =>
						`${name} ${run.runs.join(', ')}${run.refused ? ` (median ${run.refused}×429)` : ''}`,
				)
				.join('; ')}.`,
		);
	}
	if (results.autoReadsProfile) {
		extra.push(
			`Profile of the Auto read runs (\`--profile\`): ${results.autoReadsProfile.join(' ')}`,
		);
	}
	if (results.load) {
		extra.push(
			`Start times (ms): with ${results.load.times.with.map((v) => v.toFixed(0)).join(', ')}; without ${results.load.times.without.map((v) => v.toFixed(0)).join(', ')}.`,
		);
	}
	return `## How each number is taken

- **Sandbox.** The emulators of \`test/sandbox\` run in a child process (their CPU and memory are not ours). Latency is injected with the frame's fault API on every API path of the vendor (\`POST /__faults\` \`{ match: { path: "^/api/" }, action: { latencyMs: 20 } }\` for Dokobit, \`^/JSON/\` for OKdokument, \`^/json/external/\` for Documentolog).
- **Request Concurrency: Auto** (\`bench/scenarios/auto-concurrency.mjs\`). Reads run in a real n8n with the packed package: Webhook (answers when the last node is done) → Code (N items) → the node under test, timed from the POST to the answer, so every variant pays the same webhook and Code node cost; the node reads OKdokument's counter (\`GET /JSON/counter\`) once per item. Baselines in the same n8n, interleaved: n8n's HTTP Request node at its defaults (every item at once, no retry) with the API key as a header, the same node authenticated with the package's OKdokument credential, and a plain \`fetch\` client in the benchmark process (all at once, or exactly 10 in flight: the path's limit). The vendor limit is the sandbox's \`POST /__limits\` \`{ maxInFlight: 10, retryAfter: 1 }\` (one request more is answered at once with 429 and \`Retry-After: 1\`); jitter is the fault option \`jitter: 0.5\` (each delay uniform in 100–300 ms). Creates run through n8n-core's engine with **On Error → Continue**, once per vendor; the sandbox's request log is matched to the items (duplicates, items never sent, refused ones) and to the output's error items.
- **Engine scenarios** (batch, upload, download) run our compiled nodes through n8n-core 2.41.1's \`WorkflowExecute\` with the engine-test helper (\`test/helpers/engine.ts\`, compiled as is). n8n-core's \`BinaryDataService\` is initialised in **filesystem mode**, as in a default n8n. The start node hands items over by reference, so the input exists before the clock starts. The sources are transpiled into \`.cache/bench\`; \`dist/\` is not touched.
- **Batch create** uses Signing → Create in **File Tokens** mode (one \`POST /api/signing/create.json\` per item; the file is uploaded once beforehand) with one signer and, in the main row, a per-item expression for the document name. The baseline is a plain Node \`fetch\` client sending the same JSON bodies with the same number of requests in flight. After each run the sandbox's request log must hold exactly one create per item and the output must be in input order with \`pairedItem\` kept. The concurrency-1 run is the same node with **Request Concurrency = 1**. **OKdokument**: Signature Request → Create with **Existing Document** (one \`POST /JSON/signatureRequest\` \`{ id }\` per item; each item's document is stored with \`POST /JSON/document\` beforehand, so no file travels with the create), the document ID from the item by expression. **Documentolog**: Document → Create Signing Session (one \`POST /json/external/oauth/token\` per item) with the attachment link from the item by expression, one sender and one recipient. For every vendor the request bodies of the node and of its \`fetch\` baseline are compared after each run and must be the same, key order aside.
- **Peak memory** is the growth of the resident set over the RSS right before the run (after a full GC): the kernel's high-water mark (\`VmHWM\`, reset through \`/proc/self/clear_refs\`), so short peaks between samples are not missed. Upload and download runs (ours and the baselines) each run in a **fresh child process** (\`bench/lib/child.mjs\`) that first does one small run of the same kind, so memory freed by earlier runs cannot hide a peak, and earlier garbage cannot be billed to a later run. The batch runs share this process; their memory column is indicative only.
- **Download** streams the sandbox's generated signed file (emulator option \`signedFileBytes\`, generated block by block, never held whole) into n8n's binary store; the stored file's size is checked. Baseline: \`fetch\` → \`stream.pipeline\` → file.
- **Upload** sends the file as Dokobit wants it: JSON with base64 \`content\` and SHA-256 \`digest\` (the sandbox rejects a wrong digest). Baseline: a plain client that reads the file, hashes it and \`JSON.stringify\`s the body (the naive way, shown for scale).
- **Webhook** uses a real n8n${results.n8n ? ` ${results.n8n.version} (Node ${results.n8n.node})` : ''} with the packed package installed as a community package. Every postback is a \`signing_completed\` for a distinct, really completed sandbox signing, so the trigger's verification (re-fetching the status with the credential) passes; 10 senders in parallel. Events/s counts until n8n has recorded every execution as finished (polled through \`/rest/executions\`). Lost = expected successful executions − recorded ones.
- **Load cost** starts n8n (fresh user folders, database migrated by an unmeasured first start) alternately without and with the package and times \`n8n start\` until \`/healthz/readiness\` answers and the REST API is mounted (\`GET /rest/workflows\` no longer 404).

${extra.map((line) => `- ${line}`).join('\n')}
`;
}

async function format(text) {
	try {
		const prettier = await import('prettier');
		const options = (await prettier.resolveConfig(process.cwd())) ?? {};
		return await prettier.format(text, { ...options, parser: 'markdown' });
	} catch {
		return text;
	}
}
