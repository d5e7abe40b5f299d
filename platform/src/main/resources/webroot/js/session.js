// The signed-in person. The session token lives in sessionStorage: gone when the tab closes, never in a URL.
const TOKEN = 'careloop.token';
const ME = 'careloop.me';
const NOTICE = 'careloop.notice';

export const session = {
  get token() { return sessionStorage.getItem(TOKEN); },
  get me() { const v = sessionStorage.getItem(ME); return v ? JSON.parse(v) : null; },
  start(token, me) {
    sessionStorage.removeItem(NOTICE);
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(ME, JSON.stringify(me));
  },
  end(notice) {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('careloop.')) sessionStorage.removeItem(key);
    if (notice) sessionStorage.setItem(NOTICE, notice);
  },
  /** A message for the sign-in page (why the person is back there), kept until the next sign-in. */
  notice() { return sessionStorage.getItem(NOTICE); },
  can(permission) {
    const role = this.me && this.me.role;
    // Mirrors common/auth/Permission: the server decides; this only hides what would be refused.
    const grants = {
      billing: ['billing', 'admin'],
      workQueue: ['rn', 'lpn', 'ma', 'care_coordinator', 'physician', 'npp'],
      editPatients: ['rn', 'lpn', 'ma', 'care_coordinator', 'physician', 'npp', 'admin'],
      enterReadings: ['rn', 'lpn', 'ma', 'care_coordinator', 'physician', 'npp'],
      manageStaff: ['admin'],
      readAudit: ['admin'],
      changeCarePlans: ['physician', 'npp'],
    };
    return (grants[permission] || []).includes(role);
  },
};
