// Trend plots with uPlot (from its WebJar). Thresholds are drawn as flat dashed series; readings that raised an
// alert are marked with a red point series on top.
import uPlot from '/vendor/uplot/uPlot.esm.js';

const COLORS = {systolic: '#b3261e', diastolic: '#1f5fa8', fasting: '#6a3d9a', before_meal: '#1f78b4', after_meal: '#e08214',
  bedtime: '#33a02c', random: '#777', unknown: '#999', weight: '#1f5fa8', spo2: '#1f5fa8'};

/**
 * @param series   [{label, key, values}] aligned with xs (seconds)
 * @param limits   [{label, value, color}] horizontal threshold lines
 * @param alerts   xs-aligned values where an alert-raising reading sits, else null
 * @param entered  xs-aligned values where a reading entered by staff sits (phoned in, clinic), else null: drawn as
 *                 as thick black rings on white, so they are never mistaken for device data
 */
export function plot(container, {title, unit, xs, series, limits = [], alerts = [], entered = [], pointsOnly = false, width}) {
  const data = [xs, ...series.map(s => s.values), ...limits.map(l => xs.map(() => l.value)), alerts, ...(entered.some(v => v !== null) ? [entered] : [])];
  const opts = {
    title, width: width || Math.max(300, container.clientWidth - 8), height: 220,
    scales: {x: {time: true}},
    axes: [{}, {label: unit, size: 56}],
    cursor: {drag: {x: false, y: false}},
    // A legend of names only: the hovered values would read "--" most of the time and shift the layout.
    legend: {live: false},
    series: [{},
      ...series.map(s => ({label: s.label, stroke: COLORS[s.key] || '#333', width: 2, spanGaps: !pointsOnly,
        points: {show: true, size: 5, fill: COLORS[s.key] || '#333'}, paths: pointsOnly ? () => null : undefined})),
      ...limits.map(l => ({label: l.label, stroke: l.color || '#c77700', width: 1.5, dash: [6, 4], points: {show: false}})),
      {label: 'Raised an alert', stroke: '#d00000', width: 0, paths: () => null, points: {show: true, size: 12, width: 2, stroke: '#d00000', fill: 'rgba(208,0,0,0.25)'}},
      ...(entered.some(v => v !== null) ? [{label: 'Entered by staff', stroke: '#111', width: 0, paths: () => null,
        points: {show: true, size: 11, width: 3, stroke: '#111', fill: '#fff'}}] : [])],
  };
  return new uPlot(opts, data, container);
}
