import { createBrowserRouter, RouterProvider } from 'react-router';
import { HomePage } from '../features/home/HomePage';
import { I18nProvider } from '../i18n/i18n';
import { Layout } from './Layout';
import { NotFound } from './NotFound';

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export function App() {
  return (
    <I18nProvider>
      <RouterProvider router={router} />
    </I18nProvider>
  );
}
