// One ECharts chart: the modular build (bar and pie; grid, tooltip, legend; the SVG
// renderer) and the Vietnamese locale, loaded only with the dashboard's chunk. The chart is an
// image with a text summary (`aria-label`); the figures are also given as a table beside it.
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, registerLocale, use as install, type ComposeOption } from 'echarts/core';
import type { BarSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import langFA from 'echarts/i18n/langFA-obj.js';
import langVI from 'echarts/i18n/langVI-obj.js';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { currentLanguage } from '../../i18n';

install([BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);
registerLocale('VI', langVI as Parameters<typeof registerLocale>[1]);
registerLocale('FA', langFA as Parameters<typeof registerLocale>[1]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

export function Chart({ option, label, height = 260 }: { option: ChartOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const language = currentLanguage();

  useEffect(() => {
    if (!element.current) return;
    const chart = init(element.current, null, { renderer: 'svg', locale: { vi: 'VI', en: 'EN', fa: 'FA' }[language] });
    chart.setOption(option);
    const resize = () => {
      chart.resize();
    };
    const observer = new ResizeObserver(resize);
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option, language]);

  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
