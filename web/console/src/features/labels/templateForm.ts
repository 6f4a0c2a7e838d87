// The template editor's values and the API's rules on them (chalicelib/labels/schemas.py and
// template.py), so a value the API would refuse shows its error before anything is sent.
import i18n from '../../i18n';
import type { Stock, Template, TemplateBody, TextBox } from './api';
import { MAX_TEXTS, TEMPLATE_NAME } from './api';

/** A number field as the form holds it: `''` while the input is empty. */
type Num = number | string;

export interface TextRow {
  field: TextBox['field'];
  x_mm: Num;
  y_mm: Num;
  width_mm: Num;
  font_pt: Num;
  bold: boolean;
  align: TextBox['align'];
  max_lines: Num;
  min_font_pt: number; // kept as it came (0: 70 % of the size); not edited here
  lang: 'vi' | 'en';
  text: string;
}

export interface TemplateValues {
  name: string;
  label: {
    width_mm: Num;
    height_mm: Num;
    qr: { x_mm: Num; y_mm: Num; size_mm: Num };
    texts: TextRow[];
  };
  stock: {
    kind: Stock['kind'];
    page_width_mm: Num;
    page_height_mm: Num;
    margin_top_mm: Num;
    margin_left_mm: Num;
    gap_x_mm: Num;
    gap_y_mm: Num;
    columns: Num;
    rows: Num;
    outline: boolean;
  };
}

const A4_SHEET: TemplateValues['stock'] = {
  kind: 'sheet',
  page_width_mm: 210,
  page_height_mm: 297,
  margin_top_mm: 10,
  margin_left_mm: 10,
  gap_x_mm: 2,
  gap_y_mm: 2,
  columns: 0,
  rows: 0,
  outline: false,
};

export function stockValues(stock: Stock | undefined): TemplateValues['stock'] {
  if (!stock || stock.kind === 'roll') return { ...A4_SHEET, kind: stock?.kind ?? 'sheet', outline: stock?.outline ?? false };
  return { ...A4_SHEET, ...stock };
}

export function valuesOf(template: Template, name: string): TemplateValues {
  return {
    name,
    label: {
      width_mm: template.label.width_mm,
      height_mm: template.label.height_mm,
      qr: { ...template.label.qr },
      texts: template.label.texts.map((box) => ({
        field: box.field,
        x_mm: box.x_mm,
        y_mm: box.y_mm,
        width_mm: box.width_mm,
        font_pt: box.font_pt,
        bold: box.bold,
        align: box.align,
        max_lines: box.max_lines,
        min_font_pt: box.min_font_pt ?? 0,
        lang: box.lang ?? 'vi',
        text: box.text ?? '',
      })),
    },
    stock: stockValues(template.stock),
  };
}

/** A new line of text: beside the QR code when there is room, else across the label, near
 * its bottom edge. */
export function newTextRow(values: TemplateValues): TextRow {
  const height = Number(values.label.height_mm) || 20;
  const width = Number(values.label.width_mm) || 40;
  const qrRight = (Number(values.label.qr.x_mm) || 0) + (Number(values.label.qr.size_mm) || 0);
  const x = width - qrRight > 6 ? Math.round((qrRight + 0.2) * 10) / 10 : 0.5;
  return {
    field: 'custom',
    x_mm: x,
    y_mm: Math.max(0, Math.round((height - 2.5) * 10) / 10),
    width_mm: Math.max(1, Math.round((width - x - 0.5) * 10) / 10),
    font_pt: 5,
    bold: false,
    align: 'left',
    max_lines: 1,
    min_font_pt: 0,
    lang: 'vi',
    text: '',
  };
}

export function stockBody(stock: TemplateValues['stock']): Stock {
  if (stock.kind === 'roll') return { kind: 'roll', outline: stock.outline };
  return {
    kind: 'sheet',
    page_width_mm: Number(stock.page_width_mm),
    page_height_mm: Number(stock.page_height_mm),
    margin_top_mm: Number(stock.margin_top_mm),
    margin_left_mm: Number(stock.margin_left_mm),
    gap_x_mm: Number(stock.gap_x_mm),
    gap_y_mm: Number(stock.gap_y_mm),
    columns: Number(stock.columns),
    rows: Number(stock.rows),
    outline: stock.outline,
  };
}

export function bodyOf(values: TemplateValues): TemplateBody {
  const { label } = values;
  return {
    label: {
      width_mm: Number(label.width_mm),
      height_mm: Number(label.height_mm),
      qr: { x_mm: Number(label.qr.x_mm), y_mm: Number(label.qr.y_mm), size_mm: Number(label.qr.size_mm) },
      texts: label.texts.map((row) => ({
        field: row.field,
        x_mm: Number(row.x_mm),
        y_mm: Number(row.y_mm),
        width_mm: Number(row.width_mm),
        font_pt: Number(row.font_pt),
        bold: row.bold,
        align: row.align,
        max_lines: Number(row.max_lines),
        ...(row.min_font_pt ? { min_font_pt: row.min_font_pt } : {}),
        ...(row.field === 'instruction' ? { lang: row.lang } : {}),
        ...(row.field === 'custom' ? { text: row.text } : {}),
      })),
    },
    stock: stockBody(values.stock),
  };
}

// -- the rules -------------------------------------------------------------------------------

const MM_PER_PT = 25.4 / 72;
const LINE_HEIGHT = 1.2;
const MIN_FONT_PT = 2.5;

type Errors = Record<string, string>;

function range(errors: Errors, path: string, value: Num, min: number, max: number, whole = false): void {
  if (value === '' || typeof value !== 'number' || Number.isNaN(value)) {
    errors[path] = i18n.t('form.required');
  } else if (value < min || value > max || (whole && !Number.isInteger(value))) {
    errors[path] = i18n.t(whole ? 'labels.error.whole_range' : 'labels.error.range', { min, max });
  }
}

function textErrors(errors: Errors, row: TextRow, index: number, width: number, height: number): void {
  const path = `label.texts.${index}`;
  range(errors, `${path}.x_mm`, row.x_mm, 0, 600);
  range(errors, `${path}.y_mm`, row.y_mm, 0, 600);
  range(errors, `${path}.width_mm`, row.width_mm, 0.1, 200);
  range(errors, `${path}.font_pt`, row.font_pt, MIN_FONT_PT, 36);
  range(errors, `${path}.max_lines`, row.max_lines, 1, 4, true);
  if (row.field === 'custom' && !row.text.trim()) errors[`${path}.text`] = i18n.t('form.required');
  else if (row.text.length > 60) errors[`${path}.text`] = i18n.t('labels.error.too_long', { max: 60 });
  if (Object.keys(errors).some((key) => key.startsWith(`${path}.`))) return;
  // the lines it may take at its smallest size must fit on the label (as template.py checks)
  const smallest = Math.max(MIN_FONT_PT, row.min_font_pt || Math.round(Number(row.font_pt) * 0.7 * 100) / 100);
  const tall = Number(row.max_lines) * smallest * LINE_HEIGHT * MM_PER_PT;
  if (Number(row.x_mm) + Number(row.width_mm) > width + 1e-6 || Number(row.y_mm) + tall > height + 1e-6) {
    errors[path] = i18n.t('labels.error.outside');
  }
}

function stockErrors(errors: Errors, stock: TemplateValues['stock']): void {
  if (stock.kind === 'roll') return;
  range(errors, 'stock.page_width_mm', stock.page_width_mm, 20, 600);
  range(errors, 'stock.page_height_mm', stock.page_height_mm, 20, 600);
  for (const name of ['margin_top_mm', 'margin_left_mm', 'gap_x_mm', 'gap_y_mm'] as const) {
    range(errors, `stock.${name}`, stock[name], 0, 100);
  }
  range(errors, 'stock.columns', stock.columns, 0, 100, true);
  range(errors, 'stock.rows', stock.rows, 0, 100, true);
}

/** Every rule the API keeps that can be checked here, as Mantine's field errors. */
export function templateErrors(values: TemplateValues, withName: boolean): Errors {
  const errors: Errors = {};
  if (withName && !TEMPLATE_NAME.test(values.name)) errors.name = i18n.t('labels.error.name');
  const { label } = values;
  range(errors, 'label.width_mm', label.width_mm, 8, 200);
  range(errors, 'label.height_mm', label.height_mm, 8, 200);
  range(errors, 'label.qr.x_mm', label.qr.x_mm, 0, 600);
  range(errors, 'label.qr.y_mm', label.qr.y_mm, 0, 600);
  range(errors, 'label.qr.size_mm', label.qr.size_mm, 8, 200);
  const width = Number(label.width_mm);
  const height = Number(label.height_mm);
  if (!Object.keys(errors).some((key) => key.startsWith('label.'))) {
    const { x_mm, y_mm, size_mm } = label.qr;
    if (Number(x_mm) + Number(size_mm) > width + 1e-6 || Number(y_mm) + Number(size_mm) > height + 1e-6) {
      errors['label.qr'] = i18n.t('labels.error.outside');
    }
  }
  if (label.texts.length > MAX_TEXTS) errors['label.texts'] = i18n.t('labels.error.too_many', { max: MAX_TEXTS });
  label.texts.forEach((row, index) => {
    textErrors(errors, row, index, width, height);
  });
  stockErrors(errors, values.stock);
  return errors;
}
