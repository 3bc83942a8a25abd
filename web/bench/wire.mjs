// Benchmark: bytes on the wire for the first load of each face, as the service sends them (the build's Brotli
// and gzip copies for files, the service's own compression for pages and GraphQL answers). Fetches each face's
// page and every script, style sheet and preload it names, once per Accept-Encoding, and counts the bytes as
// they arrive (before any decoding). Prints a Markdown table for docs/benchmarks.md. Not a test:
// `node bench/wire.mjs` in web/ (after `npm run build` and `cargo build`).
import { request } from "node:http";
import { launchedWave, startService } from "../tests/harness.mjs";

const ENCODINGS = ["identity", "gzip", "br"];

/** One GET or POST, counting the raw bytes of the answer's body. */
function raw(url, encoding, { method = "GET", body, accept = "text/html" } = {}) {
  return new Promise((done, fail) => {
    const headers = { "accept-encoding": encoding, accept };
    if (body) headers["content-type"] = "application/json";
    const req = request(url, { method, headers }, (res) => {
      let bytes = 0;
      const chunks = [];
      res.on("data", (c) => {
        bytes += c.length;
        chunks.push(c);
      });
      res.on("end", () => done({ bytes, status: res.statusCode, encoding: res.headers["content-encoding"] ?? "", chunks }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

/** The same-origin scripts, style sheets and preloads a page names. */
function assetsOf(html, base) {
  const found = new Set();
  for (const m of html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css|webmanifest))"/g)) found.add(`${base}${m[1]}`);
  return [...found];
}

/** The lazily loaded chunks a script imports by name (one level deep: the map of the portal and the app). */
function chunksOf(script, scriptUrl) {
  const found = new Set();
  for (const m of script.matchAll(/"\.\/([\w.-]+\.(?:js|css))"/g)) found.add(new URL(m[1], scriptUrl).href);
  // Vite's preload list names a chunk's style sheets from the build's base: "assets/map-….css".
  for (const m of script.matchAll(/"assets\/([\w.-]+\.(?:js|css))"/g)) found.add(new URL(m[1], scriptUrl).href);
  return [...found];
}

const svc = await startService();
try {
  const base = svc.base;
  const coordinator = await svc.login("coordinator@example.org");
  await launchedWave(svc, coordinator, {
    venues: [
      ["L1", "ЦНАП м. Львова", 49.84195, 24.0316],
      ["L2", "ЦНАП Франківського району", 49.8261, 23.9988],
    ],
    definition: {
      sections: [{ code: "S", title: { uk: "Візит" }, questions: [{ code: "Q1", title: { uk: "Вивіска?" }, type: "YES_NO", weight: 1 }] }],
    },
  });
  const faces = [
    ["shoppers' app", "/app/", ["/app/sw.js"]],
    ["staff console", "/console/", []],
    ["public map portal", "/map/", []],
    ["API explorer", "/graphql", []],
  ];
  const rows = [];
  for (const [name, path, extra] of faces) {
    const page = await raw(`${base}${path}`, "identity");
    const html = Buffer.concat(page.chunks).toString();
    const urls = [`${base}${path}`, ...assetsOf(html, base), ...extra.map((e) => `${base}${e}`)];
    for (const url of [...urls]) {
      if (url.endsWith(".js")) {
        const s = await raw(url, "identity");
        for (const c of chunksOf(Buffer.concat(s.chunks).toString(), url)) if (!urls.includes(c)) urls.push(c);
      }
    }
    const totals = {};
    for (const encoding of ENCODINGS) {
      totals[encoding] = 0;
      for (const url of urls) {
        const r = await raw(url, encoding);
        if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
        totals[encoding] += r.bytes;
      }
    }
    rows.push([name, urls.length, totals]);
    if (process.env.WIRE_VERBOSE) console.error(name, urls);
  }
  const introspection = JSON.stringify({ query: "{ __schema { types { name description fields { name description } } } }" });
  const totals = {};
  for (const encoding of ENCODINGS) {
    const r = await raw(`${base}/graphql`, encoding, { method: "POST", body: introspection, accept: "application/json" });
    totals[encoding] = r.bytes;
  }
  rows.push(["GraphQL answer (the schema's types and fields)", 1, totals]);

  const kib = (n) => (n / 1024).toFixed(1);
  console.log("| face (first load) | files | identity KiB | gzip KiB | Brotli KiB | Brotli vs identity |");
  console.log("|---|---|---|---|---|---|");
  for (const [name, files, t] of rows) {
    console.log(
      `| ${name} | ${files} | ${kib(t.identity)} | ${kib(t.gzip)} | ${kib(t.br)} | ${((100 * t.br) / t.identity).toFixed(0)} % |`,
    );
  }
} finally {
  await svc.stop();
}
