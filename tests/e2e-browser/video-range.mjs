// Loads a page from the atcp cluster in Debian's headless Chromium (playwright-core), plays its
// video (Chromium fetches media with Range requests), seeks near the end (another Range request),
// and fetches byte ranges with fetch() from the page, checking the bytes there. Prints one JSON line
// with what it saw; the xunit test (tests/Atcp.EndToEnd.Tests/Cluster/BrowserTests.cs) judges it.
//
//   node video-range.mjs '<json spec>'
//   spec: { page, video, seekTo, ranges: [{ url, first, last }], stampedUrl, timeoutMs }
// Run inside the client's network namespace (ip netns exec atcp-client node ...).
import { chromium } from 'playwright-core';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const spec = JSON.parse(process.argv[2]);
const timeoutMs = spec.timeoutMs ?? 60000;
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Flags for a closed network and a root user: no sandbox (root), no GPU, no QUIC, no first-run UI,
// no background traffic to hosts that cannot be reached.
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-proxy-server', '--autoplay-policy=no-user-gesture-required',
];

const result = { media: [], errors: [] };
// Which step a media request belongs to: loading and playing from the start, or the seek.
let phase = 'play';
const userDataDir = mkdtempSync(join(tmpdir(), 'atcp-chromium-'));
let context;
try {
  // A persistent context on a fresh folder is Chromium's --user-data-dir, new for every run.
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, args, chromiumSandbox: false, timeout: timeoutMs,
  });
  result.browserVersion = context.browser()?.version() ?? null;
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  page.on('pageerror', e => result.errors.push('page error: ' + e.message));
  page.on('requestfailed', r => {
    const why = r.failure()?.errorText ?? '';
    // A seek makes Chromium cancel the media request that was reading from the start.
    if (r.url() === spec.video && why === 'net::ERR_ABORTED') result.abortedMedia = (result.abortedMedia ?? 0) + 1;
    else result.errors.push('request failed: ' + r.url() + ' ' + why);
  });
  page.on('response', async response => {
    if (response.url() !== spec.video) return;
    const request = response.request();
    const headers = await request.allHeaders().catch(() => request.headers());
    result.media.push({
      phase,
      range: headers['range'] ?? null,
      status: response.status(),
      contentRange: response.headers()['content-range'] ?? null,
      contentType: response.headers()['content-type'] ?? null,
    });
  });

  const navigation = await page.goto(spec.page, { waitUntil: 'load', timeout: timeoutMs });
  result.pageStatus = navigation?.status() ?? null;
  result.title = await page.title();

  // Play from the start until 1.5 s of video have been shown.
  result.play = await page.evaluate(async ({ timeoutMs }) => {
    const v = document.getElementById('clip');
    const until = (test, what) => new Promise((resolve, reject) => {
      const started = performance.now();
      const tick = () => {
        if (v.error) return reject(new Error('media error ' + v.error.code + ' ' + v.error.message + ' while ' + what));
        if (test()) return resolve();
        if (performance.now() - started > timeoutMs) return reject(new Error('timed out while ' + what + ' at ' + v.currentTime + ' s, readyState ' + v.readyState));
        setTimeout(tick, 50);
      };
      tick();
    });
    await v.play();
    await until(() => v.currentTime >= 1.5, 'playing from the start');
    return { width: v.videoWidth, height: v.videoHeight, duration: v.duration, currentTime: v.currentTime, readyState: v.readyState };
  }, { timeoutMs });

  // Seek near the end: the data there is fetched with a Range request unless already buffered.
  phase = 'seek';
  result.seek = await page.evaluate(async ({ seekTo, timeoutMs }) => {
    const v = document.getElementById('clip');
    const seeked = new Promise(resolve => v.addEventListener('seeked', resolve, { once: true }));
    v.currentTime = seekTo;
    await seeked;
    const started = performance.now();
    while (v.currentTime < seekTo + 1 && !v.ended) {
      if (v.error) throw new Error('media error ' + v.error.code + ' after seeking');
      if (performance.now() - started > timeoutMs) throw new Error('no progress after seeking: at ' + v.currentTime + ' s');
      await new Promise(r => setTimeout(r, 50));
    }
    const buffered = [];
    for (let i = 0; i < v.buffered.length; i++) buffered.push([v.buffered.start(i), v.buffered.end(i)]);
    // The picture shown: a decoded test pattern has many colours, a blank or broken one few.
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth; canvas.height = v.videoHeight;
    const g = canvas.getContext('2d');
    g.drawImage(v, 0, 0);
    const pixels = g.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    for (let i = 0; i < pixels.length; i += 4 * 97) colours.add((pixels[i] >> 5) << 6 | (pixels[i + 1] >> 5) << 3 | (pixels[i + 2] >> 5));
    return { currentTime: v.currentTime, ended: v.ended, paused: v.paused, buffered, frameColours: colours.size };
  }, { seekTo: spec.seekTo, timeoutMs });

  // fetch() with Range from the page: status, Content-Range, offset stamps checked in JS, and the
  // bytes handed back (base64) for a SHA-256 here (crypto.subtle needs a secure context).
  result.ranges = [];
  for (const range of spec.ranges) {
    const got = await page.evaluate(async ({ url, first, last, stamped }) => {
      const response = await fetch(url, { headers: { Range: 'bytes=' + first + '-' + last }, cache: 'no-store' });
      const bytes = new Uint8Array(await response.arrayBuffer());
      // Stamped data: every 4 KiB page starts with its file offset, 8 bytes little-endian.
      let stamps = 0, badStamps = 0;
      if (stamped) {
        const view = new DataView(bytes.buffer);
        for (let page = Math.ceil(first / 4096) * 4096; page + 8 <= first + bytes.length; page += 4096) {
          stamps++;
          if (view.getBigUint64(page - first, true) !== BigInt(page)) badStamps++;
        }
      }
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      return { status: response.status, contentRange: response.headers.get('content-range'), length: bytes.length, stamps, badStamps, base64: btoa(binary) };
    }, { url: range.url, first: range.first, last: range.last, stamped: range.url === spec.stampedUrl });
    const bytes = Buffer.from(got.base64, 'base64');
    delete got.base64;
    result.ranges.push({ ...range, ...got, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  result.ok = true;
} catch (e) {
  result.ok = false;
  result.errors.push(String(e?.stack ?? e));
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
