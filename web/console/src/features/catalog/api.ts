// The catalog's staff routes (docs/api.md "The brand and its serial scheme", "Product models"),
// one hook per resource, and the picture upload (a presigned PUT straight to the bucket).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, networkError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';

export const SECTIONS = ['activate', 'lookup', 'my_products', 'contact'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Theme {
  short_name: string;
  logo_url: string;
  colors: { primary: string; on_primary: string; accent: string };
  email: string;
  website: string;
  sections: Section[];
  hotline: string;
}

export interface Brand {
  brand_id: string;
  name: string;
  serial_prefix: string;
  serials_issued: number;
  serial_prefix_locked: boolean;
  theme: Theme;
  confirm_phone: boolean;
  updated_by: string;
  portal_url: string;
}

/** `PUT /brand`'s body: the theme's colours flat, as the API takes them. */
export interface BrandRequest {
  name: string;
  serial_prefix: string;
  confirm_phone: boolean;
  theme: {
    short_name: string;
    logo_url: string;
    primary: string;
    on_primary: string;
    accent: string;
    email: string;
    website: string;
    sections: Section[];
    hotline: string;
  };
}

export const START_BASES = ['activation', 'shipment', 'manufacture'] as const;
export type StartBasis = (typeof START_BASES)[number];

/** A part with its own warranty: `months` from the unit's start, only for a unit activated
 * within `activated_within_months` of its shipment (else manufacture) when that is set. */
export interface ComponentTerm {
  code: string;
  name: string;
  name_en: string;
  months: number;
  activated_within_months: number | null;
}

export interface ProductModel {
  code: string;
  name: string;
  description: string;
  image_url: string;
  image_src: string;
  specs: Record<string, string>;
  name_en: string;
  description_en: string;
  spec_labels_en: Record<string, string>;
  spec_values_en: Record<string, string>;
  category: string;
  category_en: string;
  warranty_months: number;
  warranty_start_basis: StartBasis;
  max_months_from_manufacture: number | null;
  activation_deadline_days: number | null;
  components: ComponentTerm[];
  rules_version: string;
  unit_count: number;
  created_at: string | null;
  updated_at: string | null;
  updated_by: string;
}

/** `POST /models` (with `code`) and `PUT /models/{code}` (without). */
export interface ModelRequest {
  code?: string;
  name: string;
  description: string;
  image_url: string;
  specs: Record<string, string>;
  name_en: string;
  description_en: string;
  spec_labels_en: Record<string, string>;
  spec_values_en: Record<string, string>;
  category: string;
  category_en: string;
  warranty_months: number;
  warranty_start_basis: StartBasis;
  max_months_from_manufacture: number | null;
  activation_deadline_days: number | null;
  components: ComponentTerm[];
}

export function useBrand() {
  return useQuery<Brand, ApiError>({
    queryKey: ['brand'],
    queryFn: ({ signal }) => api<Brand>('/brand', { signal }),
  });
}

export function useSaveBrand() {
  const queryClient = useQueryClient();
  return useMutation<Brand, ApiError, BrandRequest>({
    mutationFn: (body) => api<Brand>('/brand', { method: 'PUT', body }),
    onSuccess: (brand) => {
      queryClient.setQueryData(['brand'], brand);
    },
  });
}

/** Models are few (a manufacturer's catalogue): one page, no cursor. */
export function useModels() {
  return useQuery<CursorPage<ProductModel>, ApiError>({
    queryKey: ['models'],
    queryFn: async ({ signal }) => {
      const body = await api<{ models: ProductModel[] }>('/models', { signal });
      return { records: body.models, nextCursor: null };
    },
  });
}

/** The categories the catalogue's models already use (what a new model picks from), sorted. */
export function useModelCategories(): string[] {
  const models = useModels();
  const names = new Set((models.data?.records ?? []).map((m) => m.category).filter((c) => c !== ''));
  return [...names].sort((a, b) => a.localeCompare(b, 'vi'));
}

const modelPath = (code: string) => `/models/${encodeURIComponent(code)}`;

export function useModel(code: string) {
  return useQuery<ProductModel, ApiError>({
    queryKey: ['model', code],
    queryFn: ({ signal }) => api<ProductModel>(modelPath(code), { signal }),
    enabled: code !== '',
  });
}

export function useSaveModel(code: string | null) {
  const queryClient = useQueryClient();
  return useMutation<ProductModel, ApiError, ModelRequest>({
    mutationFn: (body) =>
      code === null
        ? api<ProductModel>('/models', { method: 'POST', body })
        : api<ProductModel>(modelPath(code), { method: 'PUT', body }),
    onSuccess: (model) => {
      queryClient.setQueryData(['model', model.code], model);
      void queryClient.invalidateQueries({ queryKey: ['models'] });
    },
  });
}

export function useDeleteModel(code: string) {
  const queryClient = useQueryClient();
  return useMutation<null, ApiError>({
    mutationFn: () => api<null>(modelPath(code), { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['model', code] });
      void queryClient.invalidateQueries({ queryKey: ['models'] });
    },
  });
}

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

interface ImageUpload {
  key: string;
  upload: { url: string; headers: Record<string, string> };
}

/** A presigned PUT asked of `path`, then the file sent straight to the bucket; returns the
 * upload's key for the API's "done" call. */
export async function uploadFile(path: string, file: File): Promise<string> {
  const started = await api<ImageUpload>(path, { method: 'POST', body: { content_type: file.type, size: file.size } });
  let put: Response;
  try {
    put = await fetch(started.upload.url, { method: 'PUT', headers: started.upload.headers, body: file });
  } catch {
    throw networkError();
  }
  if (!put.ok) throw networkError();
  return started.key;
}

export interface UploadedLogo {
  logo_url: string;
  logo_src: string;
}

/** A logo uploaded and re-encoded; the brand form takes its path (saved with the form). */
export function useUploadLogo() {
  return useMutation<UploadedLogo, ApiError, File>({
    mutationFn: async (file) => {
      const key = await uploadFile('/brand/logo', file);
      return api<UploadedLogo>('/brand/logo/done', { method: 'POST', body: { key } });
    },
  });
}

/** The picture in three steps: a presigned PUT from the API, the file straight to the bucket,
 * then the API checks it and makes the thumbnail (the model comes back with its new image). */
export function useUploadImage(code: string) {
  const queryClient = useQueryClient();
  return useMutation<ProductModel, ApiError, File>({
    mutationFn: async (file) => {
      const key = await uploadFile(`${modelPath(code)}/image`, file);
      return api<ProductModel>(`${modelPath(code)}/image/done`, { method: 'POST', body: { key } });
    },
    onSuccess: (model) => {
      queryClient.setQueryData(['model', model.code], model);
      void queryClient.invalidateQueries({ queryKey: ['models'] });
    },
  });
}
