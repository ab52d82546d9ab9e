/** Who is making a request: set by the auth middleware, passed to every service. */
export interface Actor {
  userId: string;
}
