// Opens a twinrl HTML page (viewer/html_page.cc) in Chromium, waits until it
// is ready, runs the checks asked for and prints what it found as one line of
// JSON, for the C++ tests to judge (tests/player_test.cc).
// Usage: node tests/player_check.mjs PAGE.html '{"pixels": {...}, "play": {...}, "report": true}'
//   pixels: {"t0": 0, "t1": 2, "points": [[x, y], ...] (world units), "radius": 3 (CSS px)}
//     screenshots the scene canvas at t0 and t1; for each point, the number of
//     pixels within radius that changed and the colours there before and after,
//     and the action table's cells at t1.
//   play: {"speed": "2"}: plays from t = 0 with the play button, pauses, and
//     steps with the keyboard.
//   report: true: counts the report's learning-curve charts and evaluation rows.
//   twin_report: true: counts a twin report's SVG plots, their drawn lines and
//     the rows of its parameter and fidelity tables.
// The result always has ready, console_errors (page errors included) and
// requests (anything fetched beyond file: and data: URLs).
// Exit status: 0 when the checks ran, 1 when the browser could not be driven.
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [pagePath, checksJson = '{}'] = process.argv.slice(2);
if (!pagePath) {
  console.error('usage: node tests/player_check.mjs PAGE.html [CHECKS_JSON]');
  process.exit(1);
}
const checks = JSON.parse(checksJson);

// Decodes two PNG screenshots in the page and compares them around points
// given in CSS pixels; scale is image pixels per CSS pixel.
function comparePngs({ before, after, points, radius }) {
  const decode = async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, canvas.width, canvas.height);
  };
  return Promise.all([decode(before), decode(after)]).then(([first, second]) => {
    const scale = first.width / document.getElementById('scene').getBoundingClientRect().width;
    const colour = (pixels, x, y) => {
      const at = (y * pixels.width + x) * 4;
      return [pixels.data[at], pixels.data[at + 1], pixels.data[at + 2]];
    };
    return points.map(([cssX, cssY]) => {
      const centreX = Math.min(Math.floor(cssX * scale), first.width - 1);
      const centreY = Math.min(Math.floor(cssY * scale), first.height - 1);
      const reach = Math.ceil(radius * scale);
      let changed = 0;
      for (let y = Math.max(centreY - reach, 0); y <= Math.min(centreY + reach, first.height - 1); ++y) {
        for (let x = Math.max(centreX - reach, 0); x <= Math.min(centreX + reach, first.width - 1); ++x) {
          const a = colour(first, x, y);
          const b = colour(second, x, y);
          if (a.some((value, c) => Math.abs(value - b[c]) > 8)) ++changed;
        }
      }
      return { changed, before: colour(first, centreX, centreY), after: colour(second, centreX, centreY) };
    });
  });
}

async function checkPixels(page, { t0 = 0, t1 = 1, points = [], radius = 3 }) {
  const scene = page.locator('#scene');
  const canvasPoints = await page.evaluate((worldPoints) => worldPoints.map(([x, y]) => window.twinrl.worldToCanvas(x, y)), points);
  await page.evaluate((t) => window.twinrl.seek(t), t0);
  const before = (await scene.screenshot()).toString('base64');
  await page.evaluate((t) => window.twinrl.seek(t), t1);
  const after = (await scene.screenshot()).toString('base64');
  const size = await page.evaluate(() => {
    const box = document.getElementById('scene').getBoundingClientRect();
    return [box.width, box.height];
  });
  const compared = await page.evaluate(comparePngs, { before, after, points: canvasPoints, radius });
  return {
    canvas_size: size,
    action_cells: await page.evaluate(() => [...document.querySelectorAll('#action td')].map((cell) => cell.textContent)),
    points: points.map((world, i) => ({ world, canvas: canvasPoints[i], ...compared[i] })),
  };
}

async function checkPlay(page, { speed = '1' }) {
  const state = () => page.evaluate(() => window.twinrl.state());
  await page.selectOption('#speed', String(speed));
  await page.evaluate(() => window.twinrl.seek(0));
  await page.click('#play');
  const started = (await state()).playing;
  await page.waitForFunction(() => window.twinrl.state().t > 0, null, { timeout: 10000 });
  await page.click('#play');
  const paused = await state();
  // Still where it was paused after a few frames.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const later = await state();
  await page.keyboard.press('ArrowRight');
  const afterRight = (await state()).t;
  await page.keyboard.press('ArrowLeft');
  const afterLeft = (await state()).t;
  await page.keyboard.press(' ');
  const spaceStarted = (await state()).playing;
  await page.waitForFunction(() => !window.twinrl.state().playing, null, { timeout: 10000 });
  const end = await state();
  return {
    started,
    paused_at: paused.t,
    paused: !paused.playing && !later.playing && later.t === paused.t,
    after_right: afterRight,
    after_left: afterLeft,
    space_started: spaceStarted,
    stopped_at: end.t,
    last_t: await page.evaluate(() => Number(document.getElementById('scrub').max)),
  };
}

async function checkReport(page) {
  return page.evaluate(() => ({
    curve_charts: document.querySelectorAll('#curves .chart canvas').length,
    curve_groups: [...document.querySelectorAll('#curves h3')].map((node) => node.textContent),
    evaluation_rows: document.querySelectorAll('#evaluations tbody tr').length,
    evaluation_headings: [...document.querySelectorAll('#evaluations thead th')].map((node) => node.textContent),
    config: document.querySelector('#config pre')?.textContent ?? null,
  }));
}

async function checkTwinReport(page) {
  return page.evaluate(() => ({
    plots: document.querySelectorAll('svg.twin-chart').length,
    drawn_lines: [...document.querySelectorAll('svg.twin-chart polyline')]
      .filter((line) => line.getAttribute('points').trim().split(' ').length > 1).length,
    plots_visible: [...document.querySelectorAll('svg.twin-chart')]
      .every((svg) => svg.getBoundingClientRect().width > 100),
    parameter_rows: document.querySelectorAll('#parameters tbody tr').length,
    fidelity_rows: document.querySelectorAll('#fidelity tbody tr').length,
  }));
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ deviceScaleFactor: 2, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const result = { ready: false, console_errors: [], requests: [] };
  page.on('console', (message) => { if (message.type() === 'error') result.console_errors.push(message.text()); });
  page.on('pageerror', (error) => result.console_errors.push(`${error.name}: ${error.message}`));
  page.on('request', (request) => {
    if (!/^(file|data):/.test(request.url())) result.requests.push(request.url());
  });
  await page.goto(pathToFileURL(pagePath).href);
  try {
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 15000 });
    result.ready = true;
  } catch {
    // Not ready: the result says so, with the errors that explain it.
  }
  if (result.ready) {
    Object.assign(result, await page.evaluate(() => ({
      title: document.title,
      has_scene: document.getElementById('scene') !== null,
      scene_note: document.querySelector('.scene-note')?.textContent ?? null,
      episode_charts: document.querySelectorAll('.episode-charts .chart canvas').length,
      state: window.twinrl ? window.twinrl.state() : null,
    })));
    if (checks.pixels) result.pixels = await checkPixels(page, checks.pixels);
    if (checks.play) result.play = await checkPlay(page, checks.play);
    if (checks.report) result.report = await checkReport(page);
    if (checks.twin_report) result.twin_report = await checkTwinReport(page);
  }
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`player_check: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
