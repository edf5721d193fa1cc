// The twinrl player and run report: plain JavaScript over the page's embedded
// JSON (script#twinrl-data; its layout is in viewer/README.md, "Page data").
// Everything is drawn on canvases so the page works offline from file://.
(() => {
  'use strict';

  const data = JSON.parse(document.getElementById('twinrl-data').textContent);
  const app = document.getElementById('app');
  const pixelRatio = window.devicePixelRatio || 1;

  // ---- small helpers ------------------------------------------------------

  // An element with attributes (className, id, text, title, ...) and children.
  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === 'text') node.textContent = value;
      else if (key in node) node[key] = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // NaN arrives as null (JSON has no NaN).
  function isNumber(value) {
    return typeof value === 'number' && Number.isFinite(value);
  }

  // Up to four significant digits; exponents for very large or small magnitudes.
  function format(value) {
    if (!isNumber(value)) return '–';
    if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
    const magnitude = Math.abs(value);
    if (magnitude >= 1e6 || (magnitude < 1e-3 && magnitude > 0)) return value.toExponential(2);
    return String(Number(value.toPrecision(4)));
  }

  // Math.min(...values) overflows the stack on long runs' metrics.
  function extent(values) {
    return values.reduce(([low, high], value) => [Math.min(low, value), Math.max(high, value)], [Infinity, -Infinity]);
  }

  // Training steps, shortened: 2048, 100k, 1.5M.
  function formatStep(value) {
    if (!isNumber(value)) return '–';
    if (Math.abs(value) >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
    if (Math.abs(value) >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
    return String(value);
  }

  // A canvas of the given CSS size, backed by device pixels so it stays crisp.
  function hidpiCanvas(canvas, width, height) {
    canvas.width = Math.round(width * pixelRatio);
    canvas.height = Math.round(height * pixelRatio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const context = canvas.getContext('2d');
    context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
    return context;
  }

  // Button icons as SVG paths on a 16 x 16 box (no icon font to load).
  const icons = {
    restart: 'M2 3h2v10H2zM9 3v10L4 8zM15 3v10l-5-5z',
    back: 'M10 3v10L3 8zM11 3h2v10h-2z',
    play: 'M4 2.5v11l10-5.5z',
    pause: 'M4 3h3v10H4zM9 3h3v10H9z',
    forward: 'M6 3v10l7-5zM3 3h2v10H3z',
  };

  function icon(name) {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 16 16');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', icons[name]);
    svg.append(path);
    return svg;
  }

  function section(id, heading, children) {
    return element('section', { id, className: 'card' }, [element('h2', { text: heading }), ...children]);
  }

  // ---- line charts ----------------------------------------------------------

  const chartPad = { left: 48, right: 8, top: 6, bottom: 16 };

  // The series as runs of [screen x, y] between missing values, with the
  // points that share a pixel column cut to their lowest and highest: the same
  // picture with far fewer segments to stroke for long runs' metrics.
  function screenRuns(xs, ys, toScreenX) {
    const runs = [];
    let run = null;
    let column = null; // {px, low, high}: points as [index, y]
    const flush = () => {
      if (!column) return;
      const [first, second] = column.low[0] < column.high[0] ? [column.low, column.high] : [column.high, column.low];
      run.push([column.px, first[1]]);
      if (second[0] !== first[0]) run.push([column.px, second[1]]);
      column = null;
    };
    xs.forEach((x, i) => {
      const y = ys[i];
      if (!isNumber(x) || !isNumber(y)) {
        flush();
        run = null;
        return;
      }
      if (!run) runs.push((run = []));
      const px = toScreenX(x);
      if (column && Math.floor(px) === Math.floor(column.px)) {
        if (y < column.low[1]) column.low = [i, y];
        if (y > column.high[1]) column.high = [i, y];
        return;
      }
      flush();
      column = { px, low: [i, y], high: [i, y] };
    });
    flush();
    return runs;
  }

  // A small chart of ys over xs (nulls leave gaps) with an optional cursor.
  class LineChart {
    constructor(title, xs, ys, { width = 280, height = 92, formatX = format } = {}) {
      this.xs = xs;
      this.ys = ys;
      this.width = width;
      this.height = height;
      this.formatX = formatX;
      this.value = element('span', { className: 'chart-value' });
      this.canvas = element('canvas');
      this.cursor = element('div', { className: 'chart-cursor', hidden: true });
      this.node = element('figure', { className: 'chart', style: `width: ${width}px` }, [
        element('figcaption', {}, [element('span', { className: 'chart-title', text: title, title }), this.value]),
        element('div', { className: 'chart-body' }, [this.canvas, this.cursor]),
      ]);
      this.draw();
    }

    draw() {
      const context = hidpiCanvas(this.canvas, this.width, this.height);
      const plotWidth = this.width - chartPad.left - chartPad.right;
      const plotHeight = this.height - chartPad.top - chartPad.bottom;
      const points = [];
      this.xs.forEach((x, i) => { if (isNumber(x) && isNumber(this.ys[i])) points.push([x, this.ys[i]]); });
      context.font = '10px system-ui, sans-serif';
      context.fillStyle = '#6b7785';
      if (points.length === 0) {
        context.textAlign = 'center';
        context.fillText('no data', this.width / 2, this.height / 2);
        this.value.textContent = '–';
        return;
      }
      [this.xMin, this.xMax] = extent(this.xs.filter(isNumber));
      if (this.xMax === this.xMin) this.xMax = this.xMin + 1;
      let [yMin, yMax] = extent(points.map((point) => point[1]));
      if (yMax === yMin) {
        const pad = Math.abs(yMin) > 0 ? Math.abs(yMin) * 0.1 : 1;
        yMin -= pad;
        yMax += pad;
      }
      this.plotX = (x) => chartPad.left + ((x - this.xMin) / (this.xMax - this.xMin)) * plotWidth;
      const plotY = (y) => chartPad.top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight;

      context.strokeStyle = '#d5dae0';
      context.lineWidth = 1;
      context.strokeRect(chartPad.left + 0.5, chartPad.top + 0.5, plotWidth - 1, plotHeight - 1);
      if (yMin < 0 && yMax > 0) {
        context.beginPath();
        context.setLineDash([3, 3]);
        context.moveTo(chartPad.left, plotY(0));
        context.lineTo(chartPad.left + plotWidth, plotY(0));
        context.stroke();
        context.setLineDash([]);
      }
      context.textAlign = 'right';
      context.textBaseline = 'top';
      context.fillText(format(yMax), chartPad.left - 4, chartPad.top);
      context.textBaseline = 'bottom';
      context.fillText(format(yMin), chartPad.left - 4, chartPad.top + plotHeight);
      context.textBaseline = 'bottom';
      context.textAlign = 'left';
      context.fillText(this.formatX(this.xMin), chartPad.left, this.height);
      context.textAlign = 'right';
      context.fillText(this.formatX(this.xMax), chartPad.left + plotWidth, this.height);

      context.strokeStyle = '#2563eb';
      context.fillStyle = '#2563eb';
      context.lineWidth = 1.5;
      context.lineJoin = 'round';
      for (const run of screenRuns(this.xs, this.ys, this.plotX)) {
        context.beginPath();
        if (run.length === 1) {
          context.arc(run[0][0], plotY(run[0][1]), 2.5, 0, 2 * Math.PI);
          context.fill();
          continue;
        }
        run.forEach(([px, y], i) => (i === 0 ? context.moveTo(px, plotY(y)) : context.lineTo(px, plotY(y))));
        context.stroke();
      }
      this.value.textContent = format(points[points.length - 1][1]);
    }

    // Marks index i: a vertical line and the value there in the caption.
    setCursor(i) {
      this.value.textContent = format(this.ys[i]);
      if (!this.plotX || !isNumber(this.xs[i])) return;
      this.cursor.hidden = false;
      this.cursor.style.left = `${this.plotX(this.xs[i])}px`;
      this.cursor.style.top = `${chartPad.top}px`;
      this.cursor.style.height = `${this.height - chartPad.top - chartPad.bottom}px`;
    }
  }

  // ---- scene drawing --------------------------------------------------------

  const images = new Map(); // data URL -> decoded image, so drawing stays synchronous

  async function preloadImages(drawings) {
    const urls = new Set();
    for (const drawing of drawings) {
      for (const shape of (drawing && drawing.shapes) || []) if (shape[0] === 'image') urls.add(shape[5]);
    }
    await Promise.all([...urls].map(async (url) => {
      const image = new Image();
      image.src = url;
      await image.decode();
      images.set(url, image);
    }));
  }

  // Maps world units onto a canvas of cssWidth x cssHeight CSS pixels.
  class View {
    constructor(drawing, maxWidth = 640, maxHeight = 640) {
      const [xMin, yMin, xMax, yMax] = drawing.bounds;
      Object.assign(this, { xMin, yMin, xMax, yMax, yUp: drawing.y_up });
      const aspect = (xMax - xMin) / (yMax - yMin);
      this.cssWidth = maxWidth;
      this.cssHeight = Math.round(maxWidth / aspect);
      if (this.cssHeight > maxHeight) {
        this.cssHeight = maxHeight;
        this.cssWidth = Math.round(maxHeight * aspect);
      }
      this.scale = this.cssWidth / (xMax - xMin); // CSS pixels per world unit
      this.scaleY = this.cssHeight / (yMax - yMin);
    }

    x(x) { return (x - this.xMin) * this.scale; }
    y(y) { return this.yUp ? (this.yMax - y) * this.scaleY : (y - this.yMin) * this.scaleY; }
    length(size) { return size * this.scale; }

    // The screen rect (left, top, width, height) of a world rect given by its least corner.
    rect(x, y, width, height) {
      const left = Math.min(this.x(x), this.x(x + width));
      const top = Math.min(this.y(y), this.y(y + height));
      return [left, top, Math.abs(this.length(width)), Math.abs(height * this.scaleY)];
    }
  }

  function tracePoints(context, view, points, close) {
    context.beginPath();
    for (let i = 0; i + 1 < points.length; i += 2) {
      const px = view.x(points[i]);
      const py = view.y(points[i + 1]);
      if (i === 0) context.moveTo(px, py);
      else context.lineTo(px, py);
    }
    if (close) context.closePath();
  }

  function paint(context, view, fill, stroke, lineWidth) {
    if (fill) {
      context.fillStyle = fill;
      context.fill();
    }
    if (stroke) {
      context.strokeStyle = stroke;
      // A stroke given without a width is a hairline.
      context.lineWidth = lineWidth > 0 ? view.length(lineWidth) : 1;
      context.stroke();
    }
  }

  // Shapes are mapped point by point (not through a flipped transform) so that
  // text and images stay upright whichever way y points.
  function drawShapes(context, view, shapes) {
    for (const shape of shapes) {
      switch (shape[0]) {
        case 'rect': {
          const [, x, y, width, height, fill, stroke, lineWidth] = shape;
          context.beginPath();
          context.rect(...view.rect(x, y, width, height));
          paint(context, view, fill, stroke, lineWidth);
          break;
        }
        case 'circle': {
          const [, x, y, radius, fill, stroke, lineWidth] = shape;
          context.beginPath();
          context.arc(view.x(x), view.y(y), view.length(radius), 0, 2 * Math.PI);
          paint(context, view, fill, stroke, lineWidth);
          break;
        }
        case 'polygon':
        case 'polyline': {
          const [kind, points, fill, stroke, lineWidth] = shape;
          tracePoints(context, view, points, kind === 'polygon');
          context.lineJoin = 'round';
          context.lineCap = 'round';
          paint(context, view, kind === 'polygon' ? fill : '', stroke, lineWidth);
          break;
        }
        case 'text': {
          const [, x, y, fontSize, color, text] = shape;
          if (!color) break;
          context.font = `${Math.max(view.length(fontSize), 1)}px system-ui, sans-serif`;
          context.fillStyle = color;
          context.textAlign = 'left';
          context.textBaseline = 'alphabetic';
          context.fillText(text, view.x(x), view.y(y));
          break;
        }
        case 'image': {
          const [, x, y, width, height, url] = shape;
          context.drawImage(images.get(url), ...view.rect(x, y, width, height));
          break;
        }
        default:
          throw new Error(`unknown shape kind '${shape[0]}'`);
      }
    }
  }

  // ---- the player ---------------------------------------------------------

  const speeds = [0.25, 0.5, 1, 2, 4, 8];

  function buildPlayer(rollout) {
    const header = rollout.header;
    const episodes = rollout.episodes;
    const numAgents = Math.max(header.num_agents || 1, 1);
    const actionSize = header.action_size || 0;
    // Seconds a step lasts at 1x: real time, but at least a step a second
    // for envs whose steps are long (a day of a supply chain).
    const period = header.control_period_s > 0 ? header.control_period_s : 0.1;
    const stepSeconds = Math.min(period, 1);

    const playerState = { episode: 0, t: 0, playing: false, speed: 1, progress: 0, lastTime: 0 };
    let episode = null; // the current episode's data
    let view = null;
    let backgroundCanvas = null;
    let charts = [];
    let actionCells = [];

    // ---- layout
    const sceneCanvas = element('canvas', { id: 'scene', className: 'scene' });
    const sceneNote = element('p', { className: 'scene-note', text: `no scene drawing for ${header.env_id}` });
    const sceneBox = element('div', { className: 'scene-box' });
    const button = (id, iconName, title) => element('button', { id, type: 'button', title, ariaLabel: title }, [icon(iconName)]);
    const restartButton = button('restart', 'restart', 'Restart (Home)');
    const backButton = button('back', 'back', 'Step back (←)');
    const playButton = button('play', 'play', 'Play (space)');
    const forwardButton = button('forward', 'forward', 'Step forward (→)');
    const speedSelect = element('select', { id: 'speed', title: 'Playback speed' },
      speeds.map((speed) => element('option', { value: String(speed), text: `${speed}×`, selected: speed === 1 })));
    const clock = element('span', { className: 'clock' });
    const scrub = element('input', { id: 'scrub', type: 'range', min: 0, step: 1, value: 0, ariaLabel: 'Step' });
    const speedNote = header.control_period_s > 1
      ? `1× plays a step a second (a step is ${format(header.control_period_s)} s)`
      : `1× is real time (${format(period)} s a step)`;

    const episodeSelect = element('select', { id: 'episode', title: 'Episode' },
      episodes.map((item, k) => element('option', {
        value: String(k),
        text: `Episode ${k + 1}: return ${format(item.return)}, ${item.length} steps`,
      })));

    const statusValues = {
      step: element('dd', { id: 'status-step' }),
      reward: element('dd', { id: 'status-reward' }),
      return: element('dd', { id: 'status-return' }),
      flags: element('dd', { id: 'status-flags' }),
    };
    const statusList = element('dl', { className: 'status' }, [
      element('dt', { text: 'Step' }), statusValues.step,
      element('dt', { text: 'Reward' }), statusValues.reward,
      element('dt', { text: 'Return' }), statusValues.return,
      element('dt', { text: 'Status' }), statusValues.flags,
    ]);
    const actionBox = element('div', { className: 'action-box' });
    const chartBox = element('div', { className: 'episode-charts' });

    const policyText = header.training_step >= 0
      ? `${header.policy} policy (step ${formatStep(header.training_step)})` : `${header.policy} policy`;
    const node = section('player', `Episodes: ${header.env_id}, ${policyText}`, [
      element('div', { className: 'player-body' }, [
        element('div', { className: 'scene-panel' }, [
          episodes.length > 1 ? element('label', { className: 'episode-choice' }, ['Episode ', episodeSelect]) : null,
          sceneBox,
          element('div', { className: 'controls' }, [restartButton, backButton, playButton, forwardButton, speedSelect, clock]),
          scrub,
          element('p', { className: 'hint', text: `Space: play/pause · ←/→: step (Shift: 10) · Home: restart · ${speedNote}` }),
        ]),
        element('div', { className: 'side-panel' }, [
          statusList,
          element('h3', { text: 'Action at this step' }), actionBox,
          element('h3', { text: 'Over the episode' }), chartBox,
        ]),
      ]),
    ]);

    // ---- the action table: one row per dimension for one agent, one row per agent for several
    function actionName(j) {
      return header.action_names && header.action_names.length === actionSize ? header.action_names[j] : `action ${j}`;
    }

    function buildActionTable() {
      actionCells = [];
      actionBox.replaceChildren();
      if (actionSize === 0) {
        actionBox.append(element('p', { className: 'muted', text: 'no actions' }));
        return;
      }
      const table = element('table', { id: 'action', className: 'compact' });
      if (numAgents === 1) {
        for (let j = 0; j < actionSize; ++j) {
          const cell = element('td', { className: 'number' });
          actionCells.push(cell);
          table.append(element('tr', {}, [element('th', { text: actionName(j), title: actionName(j) }), cell]));
        }
      } else {
        const headings = ['agent', ...Array.from({ length: actionSize }, (_, j) => actionName(j)), 'reward'];
        table.append(element('thead', {}, [element('tr', {}, headings.map((text) => element('th', { text, title: text })))]));
        const body = element('tbody');
        for (let agent = 0; agent < numAgents; ++agent) {
          const row = element('tr', {}, [element('th', { text: String(agent) })]);
          for (let j = 0; j <= actionSize; ++j) {
            const cell = element('td', { className: 'number' });
            actionCells.push(cell);
            row.append(cell);
          }
          body.append(row);
        }
        table.append(body);
      }
      actionBox.append(table);
    }

    function showAction(step) {
      const action = step.action || [];
      const reward = step.reward || [];
      const text = (value) => (header.discrete_actions && isNumber(value) ? String(Math.round(value)) : format(value));
      if (numAgents === 1) {
        actionCells.forEach((cell, j) => { cell.textContent = action.length ? text(action[j]) : '–'; });
        return;
      }
      for (let agent = 0; agent < numAgents; ++agent) {
        for (let j = 0; j <= actionSize; ++j) {
          const cell = actionCells[agent * (actionSize + 1) + j];
          if (j < actionSize) cell.textContent = action.length ? text(action[agent * actionSize + j]) : '–';
          else cell.textContent = reward.length ? format(reward[agent]) : '–';
        }
      }
    }

    // ---- episodes and steps
    function lastStep() {
      return episode.steps.length - 1;
    }

    function loadEpisode(k) {
      playerState.episode = k;
      episode = episodes[k];
      episodeSelect.value = String(k);
      sceneBox.replaceChildren(episode.background ? sceneCanvas : sceneNote);
      if (episode.background) {
        view = new View(episode.background);
        hidpiCanvas(sceneCanvas, view.cssWidth, view.cssHeight);
        sceneCanvas.style.height = 'auto'; // keeps the aspect where the panel is narrower
        backgroundCanvas = document.createElement('canvas');
        backgroundCanvas.width = sceneCanvas.width;
        backgroundCanvas.height = sceneCanvas.height;
        const context = backgroundCanvas.getContext('2d');
        context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
        context.fillStyle = episode.background.background || '#ffffff';
        context.fillRect(0, 0, view.cssWidth, view.cssHeight);
        drawShapes(context, view, episode.background.shapes);
      } else {
        view = null;
      }
      const ts = episode.steps.map((step) => step.t);
      charts = [new LineChart('return', ts, episode.steps.map((step) => step.return))];
      (header.kpi_names || []).forEach((name, k) => {
        charts.push(new LineChart(name, ts, episode.steps.map((step) => (step.kpis ? step.kpis[k] : null))));
      });
      chartBox.replaceChildren(...charts.map((chart) => chart.node));
      scrub.max = String(lastStep());
      buildActionTable();
      show(0);
    }

    function show(t) {
      playerState.t = Math.min(Math.max(Math.round(t), 0), lastStep());
      const step = episode.steps[playerState.t];
      if (view) {
        const context = sceneCanvas.getContext('2d');
        context.setTransform(1, 0, 0, 1, 0, 0);
        context.clearRect(0, 0, sceneCanvas.width, sceneCanvas.height);
        context.drawImage(backgroundCanvas, 0, 0);
        context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
        const frame = episode.frames && episode.frames[playerState.t];
        if (frame) drawShapes(context, view, frame.shapes);
      }
      scrub.value = String(playerState.t);
      clock.textContent = `t ${playerState.t} / ${lastStep()}`;
      statusValues.step.textContent = `${playerState.t} of ${lastStep()}`;
      const reward = step.reward || [];
      statusValues.reward.textContent = reward.length ? format(reward.reduce((sum, r) => sum + r, 0)) : '– (reset)';
      statusValues.return.textContent = format(step.return);
      const flags = [step.terminated ? 'terminated' : '', step.truncated ? 'truncated' : ''].filter(Boolean);
      statusValues.flags.textContent = flags.length ? flags.join(', ') : (playerState.t === 0 ? 'reset' : 'running');
      statusValues.flags.className = flags.length ? 'flag-end' : '';
      showAction(step);
      for (const chart of charts) chart.setCursor(playerState.t);
    }

    // ---- playback
    function setPlaying(playing) {
      playerState.playing = playing;
      playButton.replaceChildren(icon(playing ? 'pause' : 'play'));
      playButton.title = playing ? 'Pause (space)' : 'Play (space)';
      playButton.ariaLabel = playButton.title;
      if (!playing) return;
      if (playerState.t >= lastStep()) show(0);
      playerState.progress = 0;
      playerState.lastTime = performance.now();
      requestAnimationFrame(tick);
    }

    function tick(now) {
      if (!playerState.playing) return;
      playerState.progress += ((now - playerState.lastTime) / 1000) * playerState.speed / stepSeconds;
      playerState.lastTime = now;
      const steps = Math.floor(playerState.progress);
      if (steps > 0) {
        playerState.progress -= steps;
        show(playerState.t + steps);
      }
      if (playerState.t >= lastStep()) setPlaying(false);
      else requestAnimationFrame(tick);
    }

    function step(dt) {
      setPlaying(false);
      show(playerState.t + dt);
    }

    restartButton.addEventListener('click', () => show(0));
    backButton.addEventListener('click', () => step(-1));
    forwardButton.addEventListener('click', () => step(1));
    playButton.addEventListener('click', () => setPlaying(!playerState.playing));
    speedSelect.addEventListener('change', () => { playerState.speed = Number(speedSelect.value); });
    scrub.addEventListener('input', () => show(Number(scrub.value)));
    episodeSelect.addEventListener('change', () => {
      setPlaying(false);
      loadEpisode(Number(episodeSelect.value));
    });
    document.addEventListener('keydown', (event) => {
      // Keys keep their own meaning in menus, text fields and the config's toggle.
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.target.closest && event.target.closest('select, summary, textarea, input:not([type=range])')) return;
      const stride = event.shiftKey ? 10 : 1;
      if (event.key === ' ') setPlaying(!playerState.playing);
      else if (event.key === 'ArrowRight') step(stride);
      else if (event.key === 'ArrowLeft') step(-stride);
      else if (event.key === 'Home') show(0);
      else return;
      event.preventDefault();
    });

    // The hooks tests drive the page with.
    window.twinrl = {
      seek: (t) => step(t - playerState.t),
      step,
      episode: (k) => {
        setPlaying(false);
        loadEpisode(k);
      },
      state: () => ({ episode: playerState.episode, t: playerState.t, playing: playerState.playing }),
      // CSS pixels from the scene canvas' top-left corner, as it is shown.
      worldToCanvas: (x, y) => {
        if (!view) return null;
        const shown = sceneCanvas.getBoundingClientRect().width / view.cssWidth;
        return [view.x(x) * shown, view.y(y) * shown];
      },
    };

    app.append(node);
    if (episodes.length === 0) {
      node.querySelector('.player-body').replaceChildren(element('p', { className: 'muted', text: 'no episodes recorded' }));
      return;
    }
    loadEpisode(0);
  }

  // ---- the run report -------------------------------------------------------

  // Learning-curve columns by what they measure; the rest are optimizer settings.
  const curveGroups = [
    ['Return and length', (name) => name.startsWith('episode')],
    ['Validation (chooses best.pt)', (name) => name.startsWith('eval/')],
    ['Losses', (name) => name.startsWith('loss/')],
    ['KPIs', (name) => name.startsWith('kpi/')],
    ['Speed', (name) => name === 'steps_per_second'],
    ['Optimizer', () => true],
  ];

  function buildCurves(curves) {
    const columns = (curves && curves.columns) || [];
    const rows = (curves && curves.rows) || [];
    const stepColumn = columns.indexOf('step');
    if (stepColumn < 0 || rows.length === 0) {
      return section('curves', 'Learning curves', [element('p', { className: 'muted', text: 'no metrics recorded' })]);
    }
    const steps = rows.map((row) => row[stepColumn]);
    const grouped = new Map(curveGroups.map(([title]) => [title, []]));
    columns.forEach((name, c) => {
      if (c === stepColumn) return;
      const [title] = curveGroups.find(([, matches]) => matches(name));
      const label = name.replace(/^kpi\//, '').replace(/^eval\/(kpi\/)?/, 'validation ');
      grouped.get(title).push(new LineChart(label, steps, rows.map((row) => row[c]), { width: 250, formatX: formatStep }));
    });
    const children = [];
    for (const [title, charts] of grouped) {
      if (charts.length === 0) continue;
      children.push(element('h3', { text: title }), element('div', { className: 'chart-grid' }, charts.map((chart) => chart.node)));
    }
    return section('curves', `Learning curves (${rows.length} updates, to step ${formatStep(steps[steps.length - 1])})`, children);
  }

  // KPI columns in the env's order (that of metrics.csv), then any others.
  function buildEvaluations(evaluations, curves) {
    if (!evaluations || evaluations.length === 0) {
      return section('evaluations', 'Evaluation', [element('p', { className: 'muted', text: 'no evaluations' })]);
    }
    const kpiNames = ((curves && curves.columns) || []).filter((name) => name.startsWith('kpi/')).map((name) => name.slice(4))
      .filter((name) => evaluations.some((evaluation) => evaluation.kpis && name in evaluation.kpis));
    for (const evaluation of evaluations) {
      for (const name of Object.keys(evaluation.kpis || {})) if (!kpiNames.includes(name)) kpiNames.push(name);
    }
    const meanStd = (stat) => (stat && isNumber(stat.mean) ? `${format(stat.mean)} ± ${format(stat.std)}` : '–');
    const bestReturn = extent(evaluations.map((e) => (e.return && isNumber(e.return.mean) ? e.return.mean : -Infinity)))[1];
    const headings = ['policy', 'episodes', 'return', ...kpiNames];
    const rows = evaluations.map((evaluation) => element('tr', {}, [
      element('th', { text: evaluation.policy }),
      element('td', { className: 'number', text: String(evaluation.episodes) }),
      element('td', {
        className: evaluation.return && evaluation.return.mean === bestReturn ? 'number best' : 'number',
        text: meanStd(evaluation.return),
      }),
      ...kpiNames.map((name) => element('td', { className: 'number', text: meanStd((evaluation.kpis || {})[name]) })),
    ]));
    return section('evaluations', 'Evaluation (mean ± std over episodes)', [
      element('div', { className: 'table-scroll' }, [
        element('table', {}, [
          element('thead', {}, [element('tr', {}, headings.map((text) => element('th', { text })))]),
          element('tbody', {}, rows),
        ]),
      ]),
    ]);
  }

  function buildConfig(configYaml) {
    return element('details', { id: 'config', className: 'card' }, [
      element('summary', { text: 'Config (the resolved config.yaml)' }),
      element('pre', {}, [element('code', { text: configYaml || '' })]),
    ]);
  }

  async function main() {
    const report = data.report;
    const rollout = data.rollout;
    if (report) {
      app.append(element('p', { className: 'run-name', text: `Run ${report.run}` }));
      app.append(buildCurves(report.curves), buildEvaluations(report.evaluations, report.curves));
    }
    if (rollout) {
      const drawings = rollout.episodes.flatMap((episode) => [episode.background, ...(episode.frames || [])]);
      await preloadImages(drawings);
      buildPlayer(rollout);
    }
    if (report) app.append(buildConfig(report.config_yaml));
    if (!report && !rollout) app.append(element('p', { className: 'muted', text: 'Nothing to show: no rollout and no run.' }));
    document.body.dataset.ready = '1';
  }

  main().catch((error) => {
    app.append(element('p', { className: 'error', text: `The page could not be built: ${error.message}` }));
    console.error(error);
  });
})();
