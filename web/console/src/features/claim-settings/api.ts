// The service requests' settings (docs/api.md "Service requests: forms and self-help"): the
// request form per model or category, and each model's self-help (manual, common faults).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { uploadFile } from '../catalog/api';

export const FIELD_TYPES = ['text', 'textarea', 'number', 'select', 'date', 'checkbox'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type FormScope = 'model' | 'category';

export interface FieldOption {
  value: string;
  label: string;
  label_en: string;
}

export interface FormField {
  key: string;
  type: FieldType;
  label: string;
  label_en: string;
  required: boolean;
  options: FieldOption[];
}

export interface ClaimForm {
  scope: FormScope;
  target: string;
  version: number;
  fields: FormField[];
  updated_by: string;
  updated_at: string | null;
}

export interface ResolvedForm {
  source: 'model' | 'category' | 'default';
  version: number;
  fields: FormField[];
}

export interface ClaimFormDetail {
  scope: FormScope;
  target: string;
  current: ClaimForm | null;
  versions: ClaimForm[];
  inherited: ResolvedForm;
}

export interface ClaimFormSummary {
  scope: FormScope;
  target: string;
  version: number;
  field_count: number;
  updated_by: string;
  updated_at: string | null;
}

export interface ClaimForms {
  forms: ClaimFormSummary[];
  default_fields: FormField[];
}

export interface ClaimFormRequest {
  scope: FormScope;
  target: string;
  version: number;
  fields: FormField[];
}

export function useClaimForms() {
  return useQuery<ClaimForms, ApiError>({
    queryKey: ['claim-forms'],
    queryFn: ({ signal }) => api<ClaimForms>('/claim-forms', { signal }),
  });
}

const formPath = (scope: FormScope, target: string) =>
  `/claim-forms/form?${new URLSearchParams({ [scope]: target }).toString()}`;

export function useClaimForm(scope: FormScope, target: string) {
  return useQuery<ClaimFormDetail, ApiError>({
    queryKey: ['claim-form', scope, target],
    queryFn: ({ signal }) => api<ClaimFormDetail>(formPath(scope, target), { signal }),
    enabled: target !== '',
  });
}

export function useSaveClaimForm() {
  const queryClient = useQueryClient();
  return useMutation<ClaimForm, ApiError, ClaimFormRequest>({
    mutationFn: (body) => api<ClaimForm>('/claim-forms', { method: 'PUT', body }),
    onSuccess: (form) => {
      void queryClient.invalidateQueries({ queryKey: ['claim-form', form.scope] });
      void queryClient.invalidateQueries({ queryKey: ['claim-forms'] });
    },
  });
}

export interface Fault {
  title: string;
  title_en: string;
  fix: string;
  fix_en: string;
}

export interface ModelHelp {
  model_code: string;
  manual_url: string;
  manual_key: string;
  manual_src: string;
  faults: Fault[];
  version: number;
  updated_by: string;
  updated_at: string | null;
}

export interface ModelHelpRequest {
  version: number;
  manual_url: string;
  manual_key: string;
  faults: Fault[];
}

const helpPath = (code: string) => `/models/${encodeURIComponent(code)}/help`;

export function useModelHelp(code: string) {
  return useQuery<ModelHelp, ApiError>({
    queryKey: ['model-help', code],
    queryFn: ({ signal }) => api<ModelHelp>(helpPath(code), { signal }),
    enabled: code !== '',
  });
}

export function useSaveModelHelp(code: string) {
  const queryClient = useQueryClient();
  return useMutation<ModelHelp, ApiError, ModelHelpRequest>({
    mutationFn: (body) => api<ModelHelp>(helpPath(code), { method: 'PUT', body }),
    onSuccess: (help) => {
      queryClient.setQueryData(['model-help', code], help);
    },
  });
}

export const MANUAL_TYPE = 'application/pdf';
export const MAX_MANUAL_BYTES = 20 * 1024 * 1024;

/** A PDF manual sent straight to the bucket (a presigned PUT); returns its key, which the help's
 * next save names. */
export function useUploadManual(code: string) {
  return useMutation<string, ApiError, File>({
    mutationFn: (file) => uploadFile(`${helpPath(code)}/manual`, file),
  });
}
