// Drives the console of a running `fn serve` in Debian's chromium (playwright-core: no browser download), as a user
// would, and prints what it saw as one JSON object. Screenshots of each step go to the output folder.
//
//   node console-browser.mjs CONSOLE_URL API_URL INVOKE_URL OUTPUT_FOLDER SAVE_AS_CASE
import { createServer } from "node:http";
import { chromium } from "playwright-core";

const [consoleUrl, apiUrl, invokeUrl, output, saveAs] = process.argv.slice(2);
const seen = {};
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const started = Date.now();
  await page.goto(consoleUrl);
  await page.locator('#functions tr[data-function="Items.Create"]').waitFor();
  seen.loadMs = Date.now() - started;
  seen.functions = await page.locator("#functions tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.function));
  await page.screenshot({ path: `${output}/functions.png`, fullPage: true });

  // Invoke Items.Create with its sample event.
  await page.selectOption("#function", "Items.Create");
  await page.locator('#event option[value="items-create.json"]').waitFor({ state: "attached" });
  await page.selectOption("#event", "items-create.json");
  await page.click("#invoke");
  await page.locator("#report").filter({ hasText: "REPORT RequestId" }).waitFor();
  seen.status = await page.textContent("#status");
  seen.report = await page.textContent("#report");
  seen.response = await page.textContent("#response");
  await page.locator('#functions tr[data-function="Items.Create"] td.instances').filter({ hasText: "1 idle" }).waitFor();
  seen.instances = await page.evaluate(() => document.querySelector('#functions tr[data-function="Items.Create"] td.instances').firstChild.textContent);
  seen.instance = await page.textContent('#functions tr[data-function="Items.Create"] td.instances li.instance');
  await page.screenshot({ path: `${output}/invoke.png`, fullPage: true });

  // Edit the event and save it under a name of its own; the same name again is refused.
  const edited = (await page.inputValue("#event-text")).replace("Espresso cup", "Console cup");
  await page.fill("#event-text", edited);
  await page.fill("#case", saveAs);
  await page.click("#save");
  await page.locator("#saved").filter({ hasText: "Saved as" }).waitFor();
  seen.saved = await page.textContent("#saved");
  seen.selectedAfterSave = await page.inputValue("#event");
  await page.click("#save");
  await page.locator("#saved.error").waitFor();
  seen.savedAgain = await page.textContent("#saved");

  // The event made from the declaration carries a dev token's claims, as the JWT authorizer would pass them.
  await page.selectOption("#event", "(generated)");
  seen.generated = JSON.parse(await page.inputValue("#event-text"));

  // A request made outside the page (as curl would) appears in the traffic list as it is answered.
  const hello = await fetch(`${apiUrl}/hello`);
  seen.curlStatus = hello.status;
  await page.locator("#traffic tbody tr").filter({ hasText: "/hello" }).first().waitFor();
  seen.traffic = await page.locator("#traffic tbody tr").filter({ hasText: "/hello" }).first().innerText();

  // Opened, the request shows the event Hello got, the answer curl got and the invocation's log.
  await page.locator("#traffic tbody tr.openable").filter({ hasText: "/hello" }).first().click();
  await page.locator("#detail-log").filter({ hasText: "REPORT RequestId" }).waitFor();
  seen.detail = {
    function: await page.textContent("#detail-function"),
    event: JSON.parse(await page.textContent("#detail-event")),
    status: await page.textContent("#detail-status"),
    response: await page.textContent("#detail-response"),
    log: await page.textContent("#detail-log"),
  };
  await page.screenshot({ path: `${output}/traffic.png`, fullPage: true });

  // Filtered to one function, the requests to others are hidden.
  await page.selectOption("#traffic-function", "Items.Create");
  seen.helloShownForItemsCreate = await page.locator("#traffic tbody tr:not([hidden])").filter({ hasText: "/hello" }).count();
  await page.selectOption("#traffic-function", "");

  // Filtered to 4xx, the /hello line is hidden and a 404 made outside the page is shown.
  await page.selectOption("#traffic-status", "4");
  await fetch(`${apiUrl}/no-such-route`);
  await page.locator("#traffic tbody tr:not([hidden])").filter({ hasText: "/no-such-route" }).waitFor();
  seen.filteredRows = await page.locator("#traffic tbody tr:not([hidden])").evaluateAll((rows) => rows.map((r) => r.dataset.path + " " + r.dataset.status));
  await page.selectOption("#traffic-status", "");

  // The latest bench run: its chart beside its tables, and the command that made it.
  await page.locator("#figure-bench img").waitFor();
  seen.benchCommand = await page.textContent("#figure-bench code");
  seen.benchChartLoaded = await page.locator("#figure-bench img").evaluate((img) => img.complete && img.naturalWidth > 0);
  seen.benchTables = await page.textContent("#figure-bench pre");
  await page.locator("#figure-bench").screenshot({ path: `${output}/figures.png` });

  // A page of another origin tries what any site could: simple cross-site POSTs to the console and the Invoke API.
  const before = (await (await fetch(`${consoleUrl}/api/functions`)).json()).functions.find((f) => f.name === "Hello").instances.invocations;
  const evil = createServer((_, response) => {
    response.setHeader("content-type", "text/html");
    response.end(`<script>
      window.attempts = Promise.all([
        fetch(${JSON.stringify(`${consoleUrl}/api/functions/Hello/invoke`)}, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: "{}" }).then(() => "sent", (e) => "blocked: " + e),
        fetch(${JSON.stringify(`${invokeUrl}/2015-03-31/functions/Hello/invocations`)}, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: "{}" }).then(() => "sent", (e) => "blocked: " + e),
        fetch(${JSON.stringify(`${consoleUrl}/api/functions/Hello/invoke`)}, { method: "POST", headers: { "X-Fn-Console": "1" }, body: "{}" }).then(() => "sent", (e) => "blocked: " + e),
      ]);
    </script>`);
  });
  await new Promise((resolve) => evil.listen(0, "127.0.0.1", resolve));
  const other = await browser.newPage();
  await other.goto(`http://127.0.0.1:${evil.address().port}/`);
  seen.crossSite = await other.evaluate(() => window.attempts);
  evil.close();
  const after = (await (await fetch(`${consoleUrl}/api/functions`)).json()).functions.find((f) => f.name === "Hello").instances.invocations;
  seen.helloInvocationsBefore = before;
  seen.helloInvocationsAfter = after;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
