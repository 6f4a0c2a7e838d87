// A partner service company's user's own routes (docs/api.md "The company's own"): its centre.
// Its requests are the claims routes' (`GET /claims/mine`: features/claims).
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { LifecycleStatus } from '../../components/lifecycle';

export interface ServiceMe {
  username: string;
  center: {
    center_id: string;
    code: string;
    name: string;
    kind: 'internal' | 'partner';
    provinces: string[];
    address: string;
    phone: string;
    hours: string;
    status: LifecycleStatus;
  };
}

export function useServiceMe() {
  return useQuery<ServiceMe, ApiError>({
    queryKey: ['service-me'],
    queryFn: ({ signal }) => api<ServiceMe>('/service/me', { signal }),
  });
}
