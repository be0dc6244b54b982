import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import type { Permission } from '@tongxin/contracts';
import { changePasswordPath, renamePath, RequireAuth, RequirePermission, totpEnrolmentPath, useCurrentUser } from './auth';
import { AppShell } from './AppShell';
import { allPages, visiblePages } from './areas';
import { FullPageSpin } from './FullPageSpin';
import { NotFoundPage } from './ErrorPages';
import { setNavigator } from './navigation';
import { RouteError } from './RouteError';

// one chunk per area: a user who only opens the people list never downloads the org tree
const LoginPage = lazy(() => import('../features/auth/LoginPage'));
const ChangePasswordPage = lazy(() => import('../features/auth/ChangePasswordPage'));
const TotpEnrolmentPage = lazy(() => import('../features/account/TotpEnrolmentPage'));
const AccountSecurityPage = lazy(() => import('../features/account/AccountSecurityPage'));
const OrgPage = lazy(() => import('../features/org/OrgPage'));
const PeoplePage = lazy(() => import('../features/people/PeoplePage'));
const SecurityPolicyPage = lazy(() => import('../features/security/SecurityPolicyPage'));
const AuditPage = lazy(() => import('../features/audit/AuditPage'));
const DutiesPage = lazy(() => import('../features/duties/DutiesPage'));
const UnitedFrontPage = lazy(() => import('../features/unitedfront/UnitedFrontPage'));
const UsersPage = lazy(() => import('../features/users/UsersPage'));
const RenamePage = lazy(() => import('../features/users/RenamePage'));
const ActivitiesPage = lazy(() => import('../features/activities/ActivitiesPage'));
const ActivityDetailPage = lazy(() => import('../features/activities/ActivityDetailPage'));
const ActivityTypesPage = lazy(() => import('../features/activities/ActivityTypesPage'));
const MobileSigninPage = lazy(() => import('../features/activities/MobileSigninPage'));
const ProgramsHome = lazy(() => import('../features/programs/ProgramsHome'));
const ProgramPage = lazy(() => import('../features/programs/ProgramPage'));
const ProblemPage = lazy(() => import('../features/programs/ProblemPage'));
const FormPage = lazy(() => import('../features/programs/FormPage'));
const PublicFormPage = lazy(() => import('../features/programs/PublicFormPage'));
const ReportsPage = lazy(() => import('../features/reports/ReportsPage'));
const PointsPage = lazy(() => import('../features/points/PointsPage'));
const MyPointsMobilePage = lazy(() => import('../features/points/MyPointsView'));
const ComingSoonPage = lazy(() => import('../features/placeholder/ComingSoonPage'));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

/** "/" opens the first built page the user may see (the security admin: the policy). */
function HomeRedirect() {
  const me = useCurrentUser();
  const pages = visiblePages(me.permissions);
  const first = pages.find((p) => !p.placeholder) ?? pages[0];
  return <Navigate to={first?.path ?? '/activities'} replace />;
}

function pageElement(path: string): ReactNode {
  switch (path) {
    case '/org':
      return <OrgPage />;
    case '/people':
      return <PeoplePage />;
    case '/united-front':
      return <UnitedFrontPage />;
    case '/security':
      return <SecurityPolicyPage />;
    case '/audit':
      return <AuditPage />;
    case '/users':
      return <UsersPage />;
    case '/duties':
      return <DutiesPage />;
    case '/activities':
      return <ActivitiesPage />;
    case '/activity-types':
      return <ActivityTypesPage />;
    case '/programs':
      return <ProgramsHome />;
    case '/reports':
      return <ReportsPage />;
    case '/points':
      return <PointsPage />;
    default:
      return null;
  }
}

const areaRoutes = allPages().map((p) => {
  const page = p.placeholder ? <ComingSoonPage area={p.label} /> : pageElement(p.path);
  return {
    path: p.path.slice(1),
    element: p.permission ? <RequirePermission permission={p.permission}>{page}</RequirePermission> : page,
  };
});

const programRoutes = (
  [
  { path: 'programs/problems', permission: 'rectification.read', page: <ProgramsHome /> },
  { path: 'programs/forms', permission: 'feedback.read', page: <ProgramsHome /> },
  { path: 'programs/problems/:id', permission: 'rectification.read', page: <ProblemPage /> },
  { path: 'programs/forms/:id', permission: 'feedback.read', page: <FormPage /> },
  { path: 'programs/:id', permission: 'programs.read', page: <ProgramPage /> },
  ] satisfies { path: string; permission: Permission; page: ReactNode }[]
).map((r) => ({ path: r.path, element: <RequirePermission permission={r.permission}>{r.page}</RequirePermission> }));

export const router = createBrowserRouter([
  {
    // the public feedback form: answered without an account, so outside RequireAuth
    path: '/f/:publicId',
    errorElement: <RouteError />,
    element: (
      <Lazy>
        <PublicFormPage />
      </Lazy>
    ),
  },
  {
    path: '/login',
    errorElement: <RouteError />,
    element: (
      <Lazy>
        <LoginPage />
      </Lazy>
    ),
  },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        path: changePasswordPath,
        element: (
          <Lazy>
            <ChangePasswordPage />
          </Lazy>
        ),
      },
      {
        path: renamePath,
        element: (
          <Lazy>
            <RenamePage />
          </Lazy>
        ),
      },
      {
        path: totpEnrolmentPath,
        element: (
          <Lazy>
            <TotpEnrolmentPage />
          </Lazy>
        ),
      },
      {
        // "my points" on a phone: no shell, one column
        path: '/m/points',
        element: (
          <Lazy>
            <MyPointsMobilePage />
          </Lazy>
        ),
      },
      {
        // the phone page a sign-in QR code opens: no shell, one column
        path: '/m/signin/:activityId',
        element: (
          <Lazy>
            <MobileSigninPage />
          </Lazy>
        ),
      },
      {
        path: '/',
        element: <AppShell />,
        errorElement: <RouteError />,
        children: [
          {
            // errors of a page show inside the shell, so the menu stays usable
            errorElement: <RouteError />,
            children: [
              { index: true, element: <HomeRedirect /> },
              ...areaRoutes,
              {
                path: 'activities/:id',
                element: (
                  <RequirePermission permission="activities.read">
                    <ActivityDetailPage />
                  </RequirePermission>
                ),
              },
              ...programRoutes,
              // every user's own account, from the user menu
              { path: 'account', element: <AccountSecurityPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);

setNavigator((to, opts) => void router.navigate(to, opts));
