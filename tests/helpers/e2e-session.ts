import type { BrowserContext, Page } from 'playwright-core';
import type { TestUser } from './accounts';

/**
 * Signs a browser context in as a registered test user: the refresh cookie the
 * registration set is handed to the browser (as a phone keeps it), and the app picks the
 * session up on load exactly as after a reload. The event to work in is preselected.
 */
export async function signInContext(
  context: BrowserContext,
  baseUrl: string,
  user: TestUser,
  eventId: string,
): Promise<void> {
  const [name, ...rest] = user.cookie.split('=');
  await context.addCookies([
    {
      name: name ?? '',
      value: rest.join('='),
      url: `${baseUrl}/api/auth`,
      httpOnly: true,
      sameSite: 'Strict',
    },
  ]);
  // Script text: this project's test type-check has no DOM library.
  await context.addInitScript(
    `if (!localStorage.getItem('coopetition.currentEventId')) localStorage.setItem('coopetition.currentEventId', ${JSON.stringify(eventId)});`,
  );
}

/** Collects console errors and page errors (CSP violations show up there). */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

/**
 * Polls a page expression until it is truthy. `page.waitForFunction` compiles its
 * argument with `new Function`, which the app's CSP (rightly) refuses.
 */
export async function waitForExpression(
  page: Page,
  expression: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
