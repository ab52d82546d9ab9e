import { lazy } from 'react';
import { BrowserRouter, useRoutes, type RouteObject } from 'react-router';
import { HomeRoute } from '../features/home/HomeRoute';
import { I18nProvider } from '../i18n/i18n';
import { Layout } from './Layout';
import { NotFound } from './NotFound';
import { RequireSession } from './RequireSession';
import { SessionProvider } from './session';

// Only the start screen ships in the first bundle; every other screen loads on demand.
// Declarative routing (BrowserRouter + useRoutes) rather than a data router: the app
// fetches inside screens, and this keeps ~17 KB gzip out of the first screen.
const JoinPage = lazy(() =>
  import('../features/auth/JoinPage').then((m) => ({ default: m.JoinPage })),
);
const LoginPage = lazy(() =>
  import('../features/auth/LoginPage').then((m) => ({ default: m.LoginPage })),
);
const CardEditorPage = lazy(() =>
  import('../features/card/CardEditorPage').then((m) => ({ default: m.CardEditorPage })),
);
const ContactsPage = lazy(() =>
  import('../features/contacts/ContactsPage').then((m) => ({ default: m.ContactsPage })),
);
const ContactDetailPage = lazy(() =>
  import('../features/contacts/ContactDetailPage').then((m) => ({ default: m.ContactDetailPage })),
);
const SettingsPage = lazy(() =>
  import('../features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
);
// The scanner and its decoder load only on /scan; My code only on /code.
const MyCodePage = lazy(() =>
  import('../features/mycode/MyCodePage').then((m) => ({ default: m.MyCodePage })),
);
const ScanPage = lazy(() =>
  import('../features/scan/ScanPage').then((m) => ({ default: m.ScanPage })),
);
const PublicCardPage = lazy(() =>
  import('../features/public-card/PublicCardPage').then((m) => ({ default: m.PublicCardPage })),
);

// Team lead review and the organizer pulse (issue 6): each screen in its own chunk.
const TeamsPage = lazy(() =>
  import('../features/teams/TeamsPage').then((m) => ({ default: m.TeamsPage })),
);
const TeamPage = lazy(() =>
  import('../features/teams/TeamPage').then((m) => ({ default: m.TeamPage })),
);
const JoinTeamPage = lazy(() =>
  import('../features/teams/JoinTeamPage').then((m) => ({ default: m.JoinTeamPage })),
);
const LeadBoardPage = lazy(() =>
  import('../features/leads/LeadBoardPage').then((m) => ({ default: m.LeadBoardPage })),
);
const LeadDetailPage = lazy(() =>
  import('../features/leads/LeadDetailPage').then((m) => ({ default: m.LeadDetailPage })),
);
const TeamStatsPage = lazy(() =>
  import('../features/leads/TeamStatsPage').then((m) => ({ default: m.TeamStatsPage })),
);
const PulsePage = lazy(() =>
  import('../features/pulse/PulsePage').then((m) => ({ default: m.PulsePage })),
);
const OrganizeEventPage = lazy(() =>
  import('../features/organizer/OrganizeEventPage').then((m) => ({
    default: m.OrganizeEventPage,
  })),
);

const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: 'join/:code', element: <JoinPage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'x/:token', element: <PublicCardPage /> },
      {
        element: <RequireSession />,
        children: [
          { path: 'card', element: <CardEditorPage /> },
          { path: 'code', element: <MyCodePage /> },
          { path: 'scan', element: <ScanPage /> },
          { path: 'contacts', element: <ContactsPage /> },
          { path: 'contacts/:contactId', element: <ContactDetailPage /> },
          { path: 'settings', element: <SettingsPage /> },
          { path: 'teams', element: <TeamsPage /> },
          { path: 'teams/join/:code', element: <JoinTeamPage /> },
          { path: 'teams/:teamId', element: <TeamPage /> },
          { path: 'teams/:teamId/leads', element: <LeadBoardPage /> },
          { path: 'teams/:teamId/leads/:leadId', element: <LeadDetailPage /> },
          { path: 'teams/:teamId/stats', element: <TeamStatsPage /> },
          { path: 'events/new', element: <OrganizeEventPage /> },
          { path: 'events/:eventId/pulse', element: <PulsePage /> },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];

function AppRoutes() {
  return useRoutes(routes);
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
