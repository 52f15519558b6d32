// The browser harness every suite shares: Debian's Chromium through playwright-core, a fresh
// profile per session, axe-core on every page visited (0 serious or critical violations),
// no inline script or style, screenshots at 1366 and 390 px (no sideways scroll at 390), and
// small checks that fail with a clear message. Suites wait for conditions, never retry.
//
// Settings come from the environment (tests/api/browser.rs sets them):
//   KOHTAAMO_URL           the app's address, e.g. http://127.0.0.1:40123
//   KOHTAAMO_CHROMIUM      the browser (default /usr/bin/chromium)
//   KOHTAAMO_SCREENSHOTS   where screenshots go (default target/screenshots)
//   and each suite's credentials.

import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The flags Chromium runs with here: headless, no sandbox (root in CI), nothing phoning home. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The two widths every page is checked and photographed at. */
export const WIDTHS = [
  { name: "1366", width: 1366, height: 900 },
  { name: "390", width: 390, height: 844 },
];

/** A required setting. */
export function setting(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set`);
  }
  return value;
}

/** Fails the suite with `message` unless `ok`. */
export function check(ok, message) {
  if (!ok) {
    throw new Error(message);
  }
}

/** Equality with both values in the message. */
export function checkEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

/**
 * A browser session with its own fresh profile (no cookies from another user).
 * `headers` go with every request (e.g. a bearer token, for users who sign in another way).
 * Call `close()` when done.
 */
export async function openSession(label, { headers } = {}) {
  const profile = mkdtempSync(join(tmpdir(), `kohtaamo-${label}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: setting("KOHTAAMO_CHROMIUM", "/usr/bin/chromium"),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: WIDTHS[0].width, height: WIDTHS[0].height },
    acceptDownloads: true,
    locale: "fi-FI",
    extraHTTPHeaders: headers,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // A page answered with an error status (a form sent back with its errors is a 422) logs a
  // console error of its own; what must not fail is anything the page loads.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  page.on("response", (r) => {
    if (r.request().resourceType() !== "document" && r.status() >= 400) {
      problems.push(`${r.request().resourceType()} ${r.url()} answered ${r.status()}`);
    }
  });
  page.on("requestfailed", (r) => problems.push(`${r.url()} failed: ${r.failure()?.errorText}`));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The app's address of `path`. */
export function url(path) {
  return new URL(path, setting("KOHTAAMO_URL")).toString();
}

const screenshotDir = () => setting("KOHTAAMO_SCREENSHOTS", join(process.cwd(), "target", "screenshots"));

/**
 * Checks the page shown as `name`: axe-core finds no serious or critical violation, there is
 * no inline script or style attribute, and at each width a full-page screenshot
 * (`<suite>-<name>-<width>.png`) is written; at 390 px nothing scrolls sideways.
 */
export async function checkPage(session, suite, name) {
  const { page } = session;
  mkdirSync(screenshotDir(), { recursive: true });
  const inline = await page.evaluate(() => ({
    scripts: document.querySelectorAll("script:not([src])").length,
    styles: document.querySelectorAll("[style]").length,
    styleElements: document.querySelectorAll("style").length,
  }));
  checkEqual(inline, { scripts: 0, styles: 0, styleElements: 0 }, `${name}: inline scripts and styles`);
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    // Layout follows the new width before anything is measured.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { violations, passes } = await axe(page);
    console.log(`  axe ${name} @${size.name}: ${passes} rules passed, ${violations.length} violated`);
    const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    for (const v of violations) {
      console.log(`  axe ${name} @${size.name}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} elements)`);
    }
    check(
      bad.length === 0,
      `${name} @${size.name}px: serious or critical accessibility violations: ` +
        bad.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("; "),
    );
    if (size.width < 1000) {
      const widths = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      check(
        widths.scrollWidth <= widths.innerWidth,
        `${name} scrolls sideways at ${size.width}px: scrollWidth ${widths.scrollWidth} > ${widths.innerWidth}`,
      );
    }
    const file = join(screenshotDir(), `${suite}-${name}-${size.name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`  screenshot ${file}`);
  }
  await page.setViewportSize({ width: WIDTHS[0].width, height: WIDTHS[0].height });
  check(session.problems.length === 0, `${name}: ${session.problems.join("; ")}`);
  console.log(`ok page ${name}`);
}

/** Runs axe-core in the page (injected through the DevTools protocol, so no CSP is loosened). */
async function axe(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!loaded) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      resultTypes: ["violations"],
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    }),
  );
  return { violations: result.violations, passes: result.passes.length };
}

/** Presses Tab until `predicate` (run in the page on the focused element) holds; fails after `max`. */
export async function tabUntil(page, predicate, what, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(predicate)) {
      return i + 1;
    }
  }
  throw new Error(`Tab never reached ${what} within ${max} presses`);
}

/**
 * Signs in on the sign-in page with the keyboard alone (the first Tab stop is the skip link),
 * and waits until the browser has left it. `name` names the screenshot of the sign-in page.
 */
export async function signIn(session, suite, email, password, name) {
  const { page } = session;
  await page.goto(url("/signin"));
  await checkPage(session, suite, name);
  await page.keyboard.press("Tab");
  check(
    await page.evaluate(() => document.activeElement?.classList.contains("skip-link")),
    `the first Tab stop is the skip link, not ${await focused(page)}`,
  );
  await tabUntil(page, () => document.activeElement?.id === "email", "the e-mail field");
  await page.keyboard.type(email);
  await tabUntil(page, () => document.activeElement?.id === "password", "the password field", 3);
  await page.keyboard.type(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/signin")), page.keyboard.press("Enter")]);
}

/**
 * Checks that the page's error summary takes focus. The summary is focused by HTML's `autofocus`,
 * which the browser applies at the first rendering update after the element is inserted ("flush
 * autofocus candidates"), not by the load event: a single look right after load can run before
 * that frame. So this waits for the focus to arrive, for at most `ms`, and fails if it never does
 * (it is a wait for one event that must happen, not a retry: the page is loaded once).
 */
export async function checkErrorSummaryFocused(page, ms = 5000) {
  await page.locator(".error-summary").waitFor();
  try {
    await page.waitForFunction(() => document.activeElement?.classList.contains("error-summary"), null, {
      timeout: ms,
      polling: "raf",
    });
  } catch {
    check(false, `the error summary takes focus within ${ms} ms, not ${await focused(page)}`);
  }
}

/** Describes the focused element (for messages). */
export function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    return e ? `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${e.textContent.trim().slice(0, 40)}` : "nothing";
  });
}

/** Reads a JSON resource of the API as `token`. */
export async function api(path, token) {
  const r = await fetch(url(path), { headers: { Authorization: `Bearer ${token}` } });
  check(r.ok, `GET ${path}: ${r.status}`);
  return r.json();
}

/** Parses a CSV file as Finnish Excel writes it: BOM, `;` separators, quoted cells. */
export function parseExcelCsv(bytes) {
  check(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, "the CSV starts with a UTF-8 byte-order mark");
  const text = bytes.subarray(3).toString("utf8");
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ";") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  check(row.length === 0 && cell === "", "the CSV ends with a CRLF line end");
  return rows;
}

/** Runs a suite's `main`, prints the outcome, and sets the exit code. */
export async function runSuite(name, main) {
  const started = Date.now();
  try {
    await main();
    console.log(`suite ${name}: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`suite ${name}: FAILED: ${e.stack ?? e}`);
    process.exitCode = 1;
  }
}
