// End-to-end journeys of the shop and GraphiQL in real Chromium (Debian's, driven by
// playwright-core; no browser download), against a running stack.
//
// Run by tests/web (pytest), which starts the stack and reads one line per journey:
//   E2E {"name": ..., "ok": true|false, "error": ..., "screenshot": ..., "ms": ...}
// Before the journeys that need part of the system stopped it prints `E2E-PAUSE <what>` and
// waits for a line on stdin (the test stops that part, then answers).
//
// Environment: SHOP_URL (the gateway), EDGE_URL (nginx in front, optional), SHOTS_DIR,
// CHROMIUM (default /usr/bin/chromium), ADMIN_LOGIN / ADMIN_PASSWORD (a seeded admin),
// ADMIN_TOKEN (a token for GraphiQL's headers editor), ONLY (comma-separated journey names).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium } from 'playwright-core'

const SHOP = required('SHOP_URL')
const EDGE = process.env.EDGE_URL || null
const SHOTS = process.env.SHOTS_DIR || 'var/e2e'
const ONLY = new Set((process.env.ONLY || '').split(',').filter(Boolean))
// Generous: a loaded 2-core CI machine may take seconds for what takes milliseconds here.
const STEP_TIMEOUT = 20_000
const NAVIGATION_TIMEOUT = 45_000
mkdirSync(SHOTS, { recursive: true })

function required(name) {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is required`)
  return value
}

const stdin = createInterface({ input: process.stdin })
const lines = stdin[Symbol.asyncIterator]()
async function pause(what) {
  console.log(`E2E-PAUSE ${what}`)
  await lines.next()
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})

/** Every page of a context: requests off the machine are blocked and recorded, and so are CSP
 * violations and uncaught errors; a journey fails if any happened. */
async function newContext(viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport })
  const trouble = []
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url())
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue()
    trouble.push(`request off the machine blocked: ${route.request().url()}`)
    return route.abort('blockedbyclient')
  })
  context.on('page', (page) => watch(page, trouble))
  context.setDefaultTimeout(STEP_TIMEOUT)
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT)
  const page = await context.newPage()
  return { context, page, trouble }
}

function watch(page, trouble) {
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to (load|execute|apply)/i.test(message.text())) {
      trouble.push(`CSP: ${message.text()}`)
    }
  })
  page.on('pageerror', (error) => trouble.push(`page error: ${error.message}`))
}

let failures = 0
async function journey(name, session, run) {
  if (ONLY.size && !ONLY.has(name)) return
  const started = Date.now()
  const screenshot = join(SHOTS, `${name}.png`)
  const result = { name, ok: true, error: null, screenshot, ms: 0 }
  session.trouble.length = 0
  try {
    await run(session.page)
    if (session.trouble.length) throw new Error(session.trouble.join('\n'))
  } catch (error) {
    result.ok = false
    result.error = String(error?.stack || error).slice(0, 4000)
    failures += 1
  }
  try {
    await session.page.screenshot({ path: screenshot, fullPage: true })
  } catch (error) {
    result.screenshot = null
    result.error = `${result.error ?? ''}\nno screenshot: ${error}`
  }
  result.ms = Date.now() - started
  console.log(`E2E ${JSON.stringify(result)}`)
}

function expect(condition, message) {
  if (!condition) throw new Error(message)
}

const text = (page, selector) => page.locator(selector).innerText()
const alertText = (page) => page.getByRole('alert').first().innerText()

/** Reload until `check` holds (events travel asynchronously); false after `seconds`. */
async function eventually(page, check, seconds = 20) {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (await check()) return true
    await page.waitForTimeout(500)
    await page.reload({ waitUntil: 'networkidle' })
  }
  return check()
}

const run = `${Date.now().toString(36)}`
const shopper = {
  username: `shopper-${run}`,
  email: `shopper-${run}@example.com`,
  password: 'a-long-enough-secret',
  name: `Grace Shopper ${run}`,
}
const state = { orderId: null }

// ---------------------------------------------------------------- a shopper -------------------
const user = await newContext()

await journey('catalogue', user, async (page) => {
  await page.goto(`${SHOP}/`)
  await page.getByRole('heading', { name: 'Products' }).waitFor()
  const cards = page.getByRole('list', { name: 'Products' }).getByRole('listitem')
  await cards.first().waitFor()
  expect((await cards.count()) === 8, `8 products a page, saw ${await cards.count()}`)
  await page.getByRole('link', { name: 'Next page' }).click()
  await page.waitForURL(/page=2/)
  await page.getByText('Page 2 of 2').waitFor()
  await page.reload() // the page is in the URL
  await page.getByText('Page 2 of 2').waitFor()
  await page.getByLabel('Search products').fill('lamp')
  await page.keyboard.press('Enter')
  await page.waitForURL(/q=lamp/)
  await page.getByRole('heading', { name: 'Desk Lamp' }).waitFor()
  expect((await cards.count()) === 1, 'one product matches “lamp”')
  await page.getByLabel('Search products').fill('no-such-thing-at-all')
  await page.keyboard.press('Enter')
  await page.getByText('No products match').waitFor()
  await page.goto(`${SHOP}/`)
  await cards.first().waitFor()
})

await journey('register', user, async (page) => {
  await page.goto(`${SHOP}/register`)
  await page.getByLabel('Email').fill(shopper.email)
  await page.getByLabel('Username').fill(shopper.username)
  await page.getByLabel('Password').fill('short')
  await page.getByRole('button', { name: 'Create account' }).click()
  expect((await alertText(page)).includes('8 to 128 characters'), 'a short password is explained')
  await page.getByLabel('Password').fill(shopper.password)
  await page.getByLabel('Full name (optional)').fill(shopper.name)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
  await page.getByRole('link', { name: shopper.name }).waitFor()
})

await journey('sign-in', user, async (page) => {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor()
  // Signed-out visitors of a private page are sent to sign in, and come back after.
  await page.goto(`${SHOP}/orders`)
  await page.waitForURL(/\/signin\?redirect=/)
  // Keyboard only: labels, Tab and Enter.
  await page.getByLabel('Email or username').focus()
  await page.keyboard.type(shopper.username)
  await page.keyboard.press('Tab')
  await page.keyboard.type('not-the-password')
  await page.keyboard.press('Enter')
  const wrong = await alertText(page)
  expect(wrong.includes('Wrong login or password'), `wrong password explained: ${wrong}`)
  await page.getByLabel('Password').fill(shopper.password)
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/orders$/)
  await page.getByText('You have no orders yet').waitFor()
})

await journey('order', user, async (page) => {
  await page.goto(`${SHOP}/`)
  await page.getByRole('button', { name: 'Add Enamel Coffee Mug to cart' }).click()
  await page.getByRole('button', { name: 'Add Cotton Tote Bag to cart' }).click()
  await page.getByRole('button', { name: 'Add Cotton Tote Bag to cart' }).click()
  await page.getByRole('status').filter({ hasText: 'added to your cart' }).waitFor()
  await page.getByRole('link', { name: /Cart/ }).click()
  await page.getByLabel('Quantity of Enamel Coffee Mug').fill('3')
  await page.getByLabel('Quantity of Enamel Coffee Mug').press('Tab')
  await page.getByText('Estimated total: $39.95').waitFor() // 3 x 4.99 + 2 x 12.49
  await page.getByLabel('Shipping address').fill('12 Analytical Engine Row, London')
  // A double click places one order.
  await page.getByRole('button', { name: 'Place order' }).dblclick()
  await page.waitForURL(/\/orders\/\d+\?placed=1/)
  state.orderId = page.url().match(/orders\/(\d+)/)[1]
  await page.getByText('your order is placed').waitFor()
  await page.getByTestId('order-status').filter({ hasText: 'Confirmed' }).waitFor({ timeout: 30_000 })
  expect((await text(page, '[data-testid=order-total]')) === '$39.95', 'the total the API answers')
  await page.getByRole('cell', { name: '3' }).first().waitFor()
  await page.goto(`${SHOP}/orders`)
  const rows = page.getByRole('table').getByRole('row')
  await page.getByRole('link', { name: `Order ${state.orderId}` }).waitFor()
  expect((await rows.count()) === 2, `one order after a double click (rows: ${await rows.count()})`)
  expect((await page.getByRole('link', { name: /Cart/ }).innerText()).includes('0'), 'the cart is empty')
})

await journey('pay', user, async (page) => {
  await page.goto(`${SHOP}/orders/${state.orderId}`)
  const pay = page.getByRole('button', { name: /^Pay / })
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await pay.click()
    const done = await Promise.race([
      page.getByTestId('payment-status').filter({ hasText: 'Succeeded' }).waitFor().then(() => true),
      page.getByText('does not know this order yet').waitFor().then(() => false),
    ])
    if (done) break
    await page.waitForTimeout(500) // the payments service hears of new orders through events
  }
  await page.getByTestId('payment-status').filter({ hasText: 'Succeeded' }).waitFor()
  expect(!(await pay.isVisible()), 'a paid order offers no second payment')
  await page.goto(`${SHOP}/orders`)
  await page.getByRole('row', { name: new RegExp(`Order ${state.orderId}.*Confirmed.*Succeeded`) }).waitFor()
})

await journey('cancel', user, async (page) => {
  await page.goto(`${SHOP}/`)
  await page.getByRole('button', { name: 'Add Desk Lamp to cart' }).click()
  await page.goto(`${SHOP}/cart`)
  await page.getByRole('button', { name: 'Place order' }).click()
  await page.waitForURL(/\/orders\/\d+/)
  await page.getByTestId('order-status').filter({ hasText: 'Confirmed' }).waitFor({ timeout: 30_000 })
  await page.getByLabel('Reason (optional)').fill('Ordered by mistake')
  await page.getByRole('button', { name: 'Cancel order' }).click()
  await page.getByTestId('order-status').filter({ hasText: 'Cancelled' }).waitFor()
  await page.getByText('Ordered by mistake').waitFor()
  await page.goto(`${SHOP}/orders?status=CANCELLED`)
  await page.getByRole('row', { name: /Cancelled/ }).first().waitFor()
  expect((await page.getByLabel('Status', { exact: true }).inputValue()) === 'CANCELLED', 'the filter is in the URL')
})

await journey('notifications', user, async (page) => {
  await page.goto(`${SHOP}/notifications`)
  const items = page.getByRole('list', { name: 'Notifications' }).getByRole('listitem')
  const arrived = await eventually(page, async () => (await items.count()) >= 2)
  expect(arrived, 'notifications of the orders arrive')
  // Live (notificationAdded over the WebSocket): an order placed in another tab is announced
  // here, and it shows in the list, without a reload.
  const other = await page.context().newPage()
  await other.goto(`${SHOP}/`)
  await other.getByRole('button', { name: 'Add Desk Lamp to cart' }).click()
  await other.goto(`${SHOP}/cart`)
  await other.getByRole('button', { name: 'Place order' }).click()
  await other.waitForURL(/\/orders\/\d+/)
  const placed = other.url().match(/orders\/(\d+)/)[1]
  await other.close()
  await page.getByRole('status').filter({ hasText: `New: Order #${placed} ` }).waitFor({ timeout: 30_000 })
  // Its confirmation follows (live too); once it is in, nothing more comes for this order.
  await items.filter({ hasText: `Order #${placed} confirmed` }).first().waitFor({ timeout: 30_000 })
  // The one clicked turns read, told by its title: counting every unread one would race with
  // notifications of earlier orders still arriving live on a busy machine.
  const mark = page.getByRole('button', { name: /^Mark .* read$/ }).first()
  const label = await mark.getAttribute('aria-label')
  const before = await page.getByRole('button', { name: label, exact: true }).count()
  await mark.click()
  await page.waitForFunction(
    ([name, n]) =>
      [...document.querySelectorAll('.inbox li.unread button')].filter(
        (button) => button.getAttribute('aria-label') === name,
      ).length === n - 1,
    [label, before],
  )
  await page.getByLabel('Unread only').check()
  await page.waitForURL(/unread=1/)
  // Preferences: mute SMS... for order status changes, keep it after a reload.
  const group = page.getByRole('group', { name: 'order.status_changed' })
  await group.getByLabel('Email').uncheck()
  await group.getByLabel('Push').check()
  await page.getByRole('button', { name: 'Save settings' }).click()
  await page.getByText('Your notification settings are saved.').waitFor()
  await page.reload()
  const saved = page.getByRole('group', { name: 'order.status_changed' })
  await saved.getByLabel('Push').waitFor()
  expect(await saved.getByLabel('Push').isChecked(), 'Push is kept')
  expect(!(await saved.getByLabel('Email').isChecked()), 'Email stays off')
})

await journey('repositories', user, async (page) => {
  await page.goto(`${SHOP}/repositories`)
  await page.getByText('You have no repositories yet.').waitFor()
  await page.getByText('Repositories are created by administrators').waitFor()
  await page.getByLabel('Visibility').selectOption('PUBLIC')
  await page.waitForURL(/visibility=PUBLIC/)
})

await journey('profile', user, async (page) => {
  await page.goto(`${SHOP}/profile`)
  await page.getByText(shopper.email).waitFor()
  await page.getByText(shopper.username, { exact: true }).waitFor()
})

await journey('session-refresh', user, async (page) => {
  // The access token runs out: the next request refreshes it silently (a new refresh token).
  const before = await page.evaluate(() => JSON.parse(localStorage.getItem('shop.session')))
  await page.evaluate(() => {
    const session = JSON.parse(localStorage.getItem('shop.session'))
    session.expiresAt = 0
    localStorage.setItem('shop.session', JSON.stringify(session))
  })
  await page.goto(`${SHOP}/orders`)
  await page.getByRole('link', { name: `Order ${state.orderId}` }).waitFor()
  const after = await page.evaluate(() => JSON.parse(localStorage.getItem('shop.session')))
  expect(after.refreshToken !== before.refreshToken, 'the refresh token rotated')
  expect(after.expiresAt > Date.now(), 'a fresh access token')
})

await journey('session-expired', user, async (page) => {
  // The server refuses the refresh token (revoked, expired): sign in again, then come back.
  await page.evaluate(() => {
    const session = JSON.parse(localStorage.getItem('shop.session'))
    Object.assign(session, { expiresAt: 0, refreshToken: 'revoked-refresh-token', accessToken: 'x' })
    localStorage.setItem('shop.session', JSON.stringify(session))
  })
  await page.goto(`${SHOP}/notifications`)
  await page.waitForURL(/\/signin\?.*expired=1/)
  await page.getByText('Your session has ended. Sign in again to continue.').first().waitFor()
  await page.getByLabel('Email or username').fill(shopper.email)
  await page.getByLabel('Password').fill(shopper.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/notifications/)
})

await journey('refused-limit', user, async (page) => {
  // Repeated wrong passwords: the API refuses more attempts for a while, and says how long.
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.goto(`${SHOP}/signin`)
  const victim = `nobody-${run}`
  let message = ''
  for (let attempt = 0; attempt < 8 && !message.includes('Too many attempts'); attempt += 1) {
    await page.getByLabel('Email or username').fill(victim)
    await page.getByLabel('Password').fill(`wrong-password-${attempt}`)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').waitFor()
    await page.waitForFunction(() => !document.querySelector('button[type=submit]')?.disabled)
    message = await alertText(page)
  }
  expect(/Too many attempts\. Wait and try again in \d+ seconds\./.test(message), message)
})

// ---------------------------------------------------------------- an administrator ------------
const admin = await newContext()

await journey('admin-users', admin, async (page) => {
  await page.goto(`${SHOP}/signin`)
  await page.getByLabel('Email or username').fill(required('ADMIN_LOGIN'))
  await page.getByLabel('Password').fill(required('ADMIN_PASSWORD'))
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('link', { name: 'Users' }).click()
  await page.getByLabel('Search by name or email').fill(shopper.username)
  await page.getByRole('button', { name: 'Search' }).click()
  const row = page.locator(`tr[data-username="${shopper.username}"]`)
  await row.waitFor()
  await row.getByRole('button', { name: `Deactivate ${shopper.username}`, exact: true }).click()
  await page.getByText(`${shopper.name} is deactivated.`).waitFor()
  await row.getByRole('button', { name: `Activate ${shopper.username}`, exact: true }).click()
  await page.getByText(`${shopper.name} is active again.`).waitFor()
  await row.getByRole('button', { name: `Promote ${shopper.username}`, exact: true }).click()
  await page.getByText(`${shopper.name} is now an administrator.`).waitFor()
  await row.getByRole('cell', { name: 'Admin', exact: true }).waitFor()
})

await journey('admin-orders', admin, async (page) => {
  await page.goto(`${SHOP}/admin/orders?status=CONFIRMED`)
  const row = page.locator(`tr[data-order="${state.orderId}"]`)
  await row.waitFor()
  await row.getByLabel(`New status of order ${state.orderId}`).selectOption('SHIPPED')
  await row.getByRole('button', { name: 'Apply' }).click()
  await page.getByText(`Order ${state.orderId} is now shipped.`).waitFor()
  await page.getByLabel('Status', { exact: true }).selectOption('SHIPPED')
  await page.locator(`tr[data-order="${state.orderId}"]`).getByText('Shipped').waitFor()
})

await journey('admin-audit', admin, async (page) => {
  await page.goto(`${SHOP}/admin/audit`)
  await page.getByLabel('Action').fill('order.status_changed')
  await page.getByLabel('Entity id').fill(state.orderId)
  await page.getByRole('button', { name: 'Filter' }).click()
  await page.waitForURL(/action=order\.status_changed/)
  const found = await eventually(page, async () => (await page.getByRole('row', { name: /order\.status_changed/ }).count()) > 0)
  expect(found, 'the status change is in the audit log')
  expect((await page.getByLabel('Action').inputValue()) === 'order.status_changed', 'filters survive a reload')
  await page.getByLabel('Action').fill('no.such.action')
  await page.getByRole('button', { name: 'Filter' }).click()
  await page.getByText('No audit rows match these filters.').waitFor()
  await page.getByLabel('Action').fill('order.created')
  await page.getByLabel('Entity id').fill('')
  await page.getByRole('button', { name: 'Filter' }).click()
  await page.getByRole('row', { name: /order\.created/ }).first().waitFor()
})

await journey('admin-repositories', admin, async (page) => {
  await page.goto(`${SHOP}/repositories`)
  await page.getByLabel('Name', { exact: true }).fill(`shop-front-${run}`)
  await page.getByLabel('Description (optional)').fill('The Vue storefront')
  await page.getByLabel('Public: anyone').check()
  await page.getByRole('button', { name: 'Create repository' }).click()
  await page.getByText(`Repository shop-front-${run} created.`).waitFor()
  await page.getByRole('row', { name: new RegExp(`shop-front-${run}.*Public`) }).waitFor()
})

await journey('admin-only-pages', user, async (page) => {
  await page.goto(`${SHOP}/signin`)
  await page.getByLabel('Email or username').fill(shopper.username)
  await page.getByLabel('Password').fill(shopper.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
  // Promoted after this session's token was issued? Its role shows from the next sign-in on.
  await page.goto(`${SHOP}/admin/audit`)
  await page.getByRole('heading', { name: 'Audit log' }).waitFor()
})

// ---------------------------------------------------------------- GraphiQL --------------------
const explorer = await newContext({ width: 1600, height: 860 })

await journey('graphiql', explorer, async (page) => {
  await page.goto(`${SHOP}/graphql`)
  const editor = page.locator('.graphiql-query-editor .CodeMirror')
  await editor.waitFor({ timeout: 60_000 }) // a large bundle, parsed once
  await editor.click()
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Delete')
  await page.keyboard.type('query TwoProducts { products(pageSize: 2) { items { name price } } }')
  await page.keyboard.press('Escape') // close the completion hint
  // GraphiQL names the tab once it has parsed the operation; running before sends the old name.
  await page.locator('.graphiql-tab').getByText('TwoProducts').waitFor()
  await page.locator('.graphiql-execute-button').click()
  const response = page.locator('.graphiql-response .CodeMirror')
  await response.getByText('Enamel Coffee Mug').first().waitFor()
  const plan = page.getByTestId('query-plan')
  await plan.getByText('Fetch(service: "products")', { exact: false }).waitFor()
  await page.getByText('Plan of TwoProducts').waitFor()
  await page.screenshot({ path: join(SHOTS, 'graphiql-plan.png') }) // the README's picture
  // Headers editing: the admin's token, then `me` answers for her.
  await page.getByRole('button', { name: 'Headers' }).click()
  await page.locator('.graphiql-editor-tool .CodeMirror').last().click()
  await page.keyboard.type(`{"Authorization": "Bearer ${required('ADMIN_TOKEN')}"`)
  await editor.click()
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Delete')
  await page.keyboard.type('query Me { me { username role } }')
  await page.keyboard.press('Escape')
  await page.locator('.graphiql-tab').getByText('Me', { exact: true }).waitFor()
  await page.locator('.graphiql-execute-button').click()
  await response.getByText('ada.lovelace').first().waitFor()
  await page.getByText('Plan of Me').waitFor()
  // The docs explorer, from introspection.
  await page.getByRole('button', { name: /Show Documentation Explorer/ }).click()
  await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor()
})

// ---------------------------------------------------------------- through nginx ---------------
if (EDGE) {
  const edge = await newContext()
  await journey('edge', edge, async (page) => {
    await page.goto(`${EDGE}/orders`) // history fallback through nginx: sign in first
    await page.waitForURL(/\/signin/)
    await page.goto(`${EDGE}/`)
    await page.getByRole('heading', { name: 'Enamel Coffee Mug' }).waitFor()
    await page.goto(`${EDGE}/graphql`)
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 60_000 })
    await page.locator('.graphiql-execute-button').click()
    await page.getByTestId('query-plan').waitFor()
  })
}

// ---------------------------------------------------------------- a part of the system down ---
await pause('payments')
await journey('subgraph-down', user, async (page) => {
  await page.goto(`${SHOP}/orders`)
  await page.getByRole('link', { name: `Order ${state.orderId}` }).waitFor()
  const alert = await alertText(page)
  expect(alert.includes('The payments service is not answering right now'), alert)
  await page.getByText('Try again in a minute.').first().waitFor()
})

await browser.close()
stdin.close()
process.exit(failures ? 1 : 0)
