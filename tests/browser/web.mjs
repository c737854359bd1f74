// Folio's web page in a real browser: Debian's Chromium, headless, driven by playwright-core.
// Usage: node web.mjs <base-url> <pdf> <expected-pages> <screenshot.png>
// Picks the PDF in the page's file input, converts it, waits until every page thumbnail has
// loaded (naturalWidth > 0), checks the download links, and saves a screenshot; then checks that
// the API docs page (/docs) shows every operation of /openapi.json. Exits non-zero with a message
// on any failure.
import { chromium } from "playwright-core";

const [base, pdf, expected, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base + "/");
  await page.setInputFiles("#file", pdf);
  await page.fill("#dpi", "72");
  await page.click("#convert");
  await page.waitForFunction(
    (n) => {
      const imgs = [...document.querySelectorAll("#pages img")];
      return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    Number(expected),
    { timeout: 60_000 },
  );
  const status = await page.textContent("#status");
  if (!status.startsWith("Done")) throw new Error(`status: ${status}`);
  const links = await page.$$eval("#pages figcaption a", (as) => as.map((a) => a.href));
  for (const href of links) {
    const r = await page.request.get(href);
    if (r.status() !== 200 || r.headers()["content-type"] !== "image/png") {
      throw new Error(`download ${href}: ${r.status()} ${r.headers()["content-type"]}`);
    }
  }
  if (await page.isHidden("#all")) throw new Error("no 'Download all' button for several pages");
  await page.screenshot({ path: shot, fullPage: true });
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  console.log(`ok: ${links.length} thumbnails, status "${status}", screenshot ${shot}`);

  // Merge the PDF with itself, then split it: one PDF link, then one per page.
  const pdfLinks = async (task, inputs, want) => {
    await page.selectOption("#task", task);
    await page.setInputFiles("#file", inputs);
    await page.click("#convert");
    await page.waitForFunction(
      (n) => document.querySelector("#status").textContent.startsWith("Done")
        && document.querySelectorAll("#pages figcaption a").length === n,
      want,
      { timeout: 60_000 },
    );
    const hrefs = await page.$$eval("#pages figcaption a", (as) => as.map((a) => a.href));
    for (const href of hrefs) {
      const r = await page.request.get(href);
      if (r.status() !== 200 || r.headers()["content-type"] !== "application/pdf") {
        throw new Error(`${task} download ${href}: ${r.status()} ${r.headers()["content-type"]}`);
      }
    }
    return page.textContent("#status");
  };
  const merged = await pdfLinks("merge", [pdf, pdf], 1);
  if (!merged.includes(`${2 * Number(expected)} page`)) throw new Error(`merge: ${merged}`);
  await pdfLinks("split", [pdf], Number(expected));
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  console.log("ok: merge and split from the page");

  // The API docs page: Swagger UI, served from the binary, lists every documented operation.
  const spec = await (await page.request.get(base + "/openapi.json")).json();
  const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  await page.goto(base + "/docs");
  await page.waitForFunction(
    (n) => document.querySelectorAll(".opblock").length === n,
    operations,
    { timeout: 30_000 },
  );
  await page.screenshot({ path: shot.replace(/\.png$/, "") + "-docs.png" });
  if (errors.length) throw new Error(`docs page errors: ${errors.join("; ")}`);
  console.log(`ok: docs page shows ${operations} operations`);
} finally {
  await browser.close();
}
