// ECharts ships its locales as UMD files without types; the Vietnamese one is a plain object.
declare module 'echarts/i18n/langVI-obj.js' {
  const locale: Record<string, unknown>;
  export default locale;
}
declare module 'echarts/i18n/langFA-obj.js' {
  const locale: Record<string, unknown>;
  export default locale;
}
