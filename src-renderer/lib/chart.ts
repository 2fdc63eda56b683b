/**
 * Chart.js for live training curves: each chart is created once and then only updated in place, with
 * animation off and min-max decimation, so thousands of batch points redraw within a frame.
 * Series are plain {x, y} arrays; a series keeps its dataset object (and its hidden state) across updates.
 * A chart is drawn at most once a frame and only while its canvas is on screen (`requestDraw`).
 */
import {
  Chart, Decimation, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Ticks, Tooltip,
  type ChartDataset, type Scale, type Tick, type TooltipItem
} from 'chart.js'
import { percentDigits } from './percent'

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Decimation)

export interface XY { x: number; y: number }

export interface Series {
  /** Stable identity across updates (e.g. "run-3:smooth"). */
  key: string
  label: string
  color: string
  points: XY[]
  width?: number
  dash?: number[]
  /** Dots at each point (epoch values); 0 for dense batch curves. */
  pointRadius?: number
  /** Drawn for context only (raw batch loss under the smoothed line, another network's run): no tooltip, no x extent. */
  faint?: boolean
  /**
   * The tooltip's short name for the series ("#1 · test") and the run's whole name, written under the values,
   * wrapped (tipLines): a whole run name on each value's line ran off the canvas and cut the values (Q2's G7).
   */
  tip?: string
  tipRun?: string
}

export interface LineChartOptions {
  xTitle: string
  yTitle: string
  log?: boolean
  /** Fix the y range (accuracy: 0..1). */
  yMin?: number
  yMax?: number
  /** Show the x axis up to here even before the data gets there (the planned epochs). */
  xMax?: number
  /** Whole-number x ticks only (epochs: no "epoch 0.5" on a per-epoch chart). */
  xInteger?: boolean
  xFormat?: (x: number) => string
  yFormat?: (y: number) => string
  /** The y axis's tick labels (accuracy as "90%"); Chart.js's numbers when absent. */
  yTick?: (y: number) => string
}

/** An accuracy tick as a percentage, as the page writes accuracies: 0.9 → "90%", 0.925 → "92.5%". */
export function percentTick(y: number): string {
  return `${Number(percentDigits(y))}%`
}

/** How far past the plot area a dataset may draw: its dots whole at the edges (a last epoch at the right
 * border, 100 % at the top) instead of cut in half; lines keep the plot area's own clip. */
export function datasetClip(pointRadius: number | undefined): number | undefined {
  return pointRadius ? Math.ceil(pointRadius) + 2 : undefined
}

type LineDataset = ChartDataset<'line', XY[]> & { faint?: boolean; key: string; tip?: string; tipRun?: string }

/** Longest tooltip line a run's name is wrapped to (characters): the epoch chart's card is ~330 px wide at 1280 px. */
export const TIP_WIDTH = 36

/** A text's width in Latin characters: Hangul (and other wide characters) take about two. */
function textWidth(s: string): number {
  let w = 0
  for (const ch of s) w += ch.codePointAt(0)! >= 0x1100 ? 2 : 1
  return w
}

/**
 * The tooltip's lines under the values: each run's name once, cut at its " · " into lines at most `width` Latin
 * characters wide (a Korean syllable counts two; a single part wider than that keeps its own line).
 */
export function tipLines(runNames: readonly (string | undefined)[], width = TIP_WIDTH): string[] {
  const out: string[] = []
  for (const name of new Set(runNames.filter((n): n is string => !!n))) {
    let line = ''
    for (const part of name.split(' · ')) {
      if (line && textWidth(line) + 3 + textWidth(part) > width) {
        out.push(line)
        line = part
      } else line = line ? `${line} · ${part}` : part
    }
    if (line) out.push(line)
  }
  return out
}

/** '#3f7be0' + alpha → 'rgba(63,123,224,a)'. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex)
  if (!m) return hex
  const n = parseInt(m[1], 16)
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`
}

function cssVar(name: string, fallback: string): string {
  if (!globalThis.document) return fallback
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

/** Incremental EMA over an append-only series: O(new points) per update unless smoothing changes. */
export class SmoothedSeries {
  raw: XY[] = []
  smooth: XY[] = []
  private s = -1
  private stride = 1
  private acc = 0
  private weight = 0

  /** Bring both arrays up to date with xs/ys (which only ever grow; a shorter input restarts, and so does
   * another `stride`: the run merged its points, Run.batchStride). */
  update(xs: ArrayLike<number>, ys: ArrayLike<number>, s: number, stride = 1): void {
    const k = Math.min(Math.max(s, 0), 0.999)
    if (k !== this.s || stride !== this.stride || xs.length < this.raw.length) {
      this.stride = stride
      this.raw = []
      this.smooth = []
      this.acc = 0
      this.weight = 0
      this.s = k
    }
    for (let i = this.raw.length; i < xs.length; i++) {
      const y = ys[i]
      const finite = Number.isFinite(y)
      this.raw.push({ x: xs[i], y: finite ? y : NaN })
      if (finite) {
        this.acc = this.acc * k + (1 - k) * y
        this.weight = this.weight * k + (1 - k)
      }
      this.smooth.push({ x: xs[i], y: this.weight > 0 ? this.acc / this.weight : NaN })
    }
  }
}

export class LineChart {
  readonly chart: Chart<'line', XY[]>
  private opts: LineChartOptions
  private frame = 0
  /** Something changed since the last draw. */
  private stale = false
  /** The canvas is on screen (always, where there is no IntersectionObserver). */
  private onScreen = true
  private observer: IntersectionObserver | null = null
  private dark: boolean | null = null
  private themeStale = false

  /** A chart on `canvas`, or null where there is no 2-D context (component tests in happy-dom). */
  static create(canvas: HTMLCanvasElement, opts: LineChartOptions): LineChart | null {
    return canvas.getContext('2d') ? new LineChart(canvas, opts) : null
  }

  private constructor(canvas: HTMLCanvasElement, opts: LineChartOptions) {
    this.opts = opts
    // tick callbacks run with the scale as `this`; they reach the chart's options through `self`
    const self = this
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        // room for the dots that datasetClip lets out at the right and top edges
        layout: { padding: { top: 4, right: 6 } },
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { line: { tension: 0 }, point: { radius: 0, hitRadius: 6, hoverRadius: 4 } },
        scales: {
          // no label rotation and a small tick sample: less layout work on every update
          x: { type: 'linear', min: 0, max: opts.xMax, title: { display: true, text: opts.xTitle }, ticks: { maxTicksLimit: 8, maxRotation: 0, sampleSize: 8, precision: opts.xInteger ? 0 : undefined } },
          y: {
            type: opts.log ? 'logarithmic' : 'linear', min: opts.yMin, max: opts.yMax, title: { display: true, text: opts.yTitle },
            ticks: { maxRotation: 0, sampleSize: 8, callback(v, i, ticks) { return self.yTickLabel(this, Number(v), i, ticks) } }
          }
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'min-max' },
          tooltip: {
            filter: (item: TooltipItem<'line'>) => !(item.dataset as LineDataset).faint,
            callbacks: {
              title: (items) => (items.length ? (this.opts.xFormat ?? String)(items[0].parsed.x ?? 0) : ''),
              label: (item) => `${(item.dataset as LineDataset).tip ?? item.dataset.label}: ${(this.opts.yFormat ?? ((y: number) => y.toPrecision(4)))(item.parsed.y ?? NaN)}`,
              footer: (items) => tipLines(items.map((i) => (i.dataset as LineDataset).tipRun))
            }
          }
        }
      }
    })
    this.applyTheme()
    if (typeof IntersectionObserver !== 'undefined') {
      this.observer = new IntersectionObserver((entries) => {
        for (const e of entries) this.onScreen = e.isIntersecting
        if (this.onScreen && this.stale) this.schedule()
      })
      this.observer.observe(canvas)
    }
  }

  /** Replace what is drawn; datasets with the same key are reused so Chart.js keeps its state. */
  setSeries(series: Series[]): void {
    const old = new Map((this.chart.data.datasets as LineDataset[]).map((d) => [d.key, d]))
    this.chart.data.datasets = series.map((s) => {
      const d = old.get(s.key) ?? ({ key: s.key, data: [] } as unknown as LineDataset)
      d.label = s.label
      d.data = s.points
      d.borderColor = s.faint ? withAlpha(s.color, 0.25) : s.color
      // an epoch's dot as faint as its line (another network's run, dimmed: series.ts otherNetworks)
      d.backgroundColor = s.faint ? withAlpha(s.color, 0.25) : s.color
      d.borderWidth = s.width ?? 2
      d.borderDash = s.dash ?? []
      d.pointRadius = s.pointRadius ?? 0
      d.clip = datasetClip(s.pointRadius) as LineDataset['clip']
      d.faint = s.faint
      d.tip = s.tip
      d.tipRun = s.tipRun
      return d
    })
  }

  setOptions(opts: Partial<LineChartOptions>): void {
    this.opts = { ...this.opts, ...opts }
    const sc = this.chart.options.scales!
    const x = sc.x as { max?: number; title: { text: string }; ticks: { precision?: number } }
    const y = sc.y as { type: string; min?: number; max?: number; title: { text: string } }
    x.title.text = this.opts.xTitle
    x.max = this.opts.xMax
    x.ticks.precision = this.opts.xInteger ? 0 : undefined
    y.title.text = this.opts.yTitle
    y.type = this.opts.log ? 'logarithmic' : 'linear'
    y.min = this.opts.yMin
    y.max = this.opts.yMax
  }

  /** The y tick label: the caller's format, else what Chart.js writes for the axis type. */
  private yTickLabel(scale: Scale, v: number, i: number, ticks: Tick[]): string {
    if (this.opts.yTick) return this.opts.yTick(v)
    const fmt = this.opts.log ? Ticks.formatters.logarithmic : Ticks.formatters.numeric
    return String(fmt.call(scale, v, i, ticks))
  }

  /** Pick up the current theme's colours (call after a theme switch). */
  applyTheme(): void {
    const text = cssVar('--muted', '#5d6680')
    const grid = cssVar('--border', '#dfe3ee')
    const font = cssVar('--sans', 'system-ui')
    Chart.defaults.font.family = font
    // assign leaf fields: Chart.js options are proxies, and spreading them copies internals
    for (const id of ['x', 'y'] as const) {
      const sc = this.chart.options.scales?.[id] as
        { ticks: { color: string }; grid: { color: string }; title: { color: string }; border: { color: string } } | undefined
      if (!sc) continue
      sc.ticks.color = text
      sc.grid.color = grid
      sc.title.color = text
      sc.border.color = grid
    }
  }

  /** Redraw now, without animation. */
  update(): void {
    this.chart.update('none')
  }

  /**
   * Redraw with the series and options set, at the next frame (several events landing in one frame
   * draw once) and only while the chart is on screen: one scrolled out of view is drawn when it comes
   * back. `dark` is the theme: its colours (CSS variables) are read again only when it changes.
   */
  requestDraw(dark: boolean): void {
    if (dark !== this.dark) this.themeStale = true
    this.dark = dark
    this.stale = true
    if (this.onScreen) this.schedule()
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame)
    this.frame = requestAnimationFrame(() => {
      if (!this.onScreen) return
      if (this.themeStale) this.applyTheme()
      this.themeStale = false
      this.stale = false
      this.update()
    })
  }

  destroy(): void {
    cancelAnimationFrame(this.frame)
    this.observer?.disconnect()
    this.chart.destroy()
  }
}
