import type { Locale, UserDto } from '../../../../shared/auth';
import type { UserDoc } from './auth.model';

/** The account as its owner sees it; never the password hash. */
export function presentUser(user: UserDoc): UserDto {
  return {
    id: user.id as string,
    email: user.email,
    name: user.name,
    locale: user.locale as Locale,
    createdAt: (user.createdAt ?? new Date(0)).toISOString(),
  };
}
