import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { SessionProvider } from './auth/SessionContext';
import { Shell } from './routes/Shell';
import { Home, NotFound, RouteError } from './routes/basics';
import './styles.css';

/** Every screen is a chunk of its own, loaded when first visited (the shell and sign-in state are not). */
const screen = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default });

const router = createBrowserRouter(
  [
    { path: '/sign-in', lazy: screen(() => import('./routes/SignIn')), errorElement: <RouteError /> },
    { path: '/callback', lazy: screen(() => import('./routes/Callback')), errorElement: <RouteError /> },
    {
      path: '/',
      element: <Shell />,
      errorElement: <RouteError />,
      children: [
        { index: true, element: <Home /> },
        { path: 'discover', lazy: screen(() => import('./routes/Discover')) },
        { path: 'creators/:id', lazy: screen(() => import('./routes/CreatorPage')) },
        { path: 'campaigns', lazy: screen(() => import('./routes/Campaigns')) },
        { path: 'campaigns/new', lazy: screen(() => import('./routes/NewCampaign')) },
        { path: 'partners', lazy: screen(() => import('./routes/Partners')) },
        { path: 'partners/endpoints/:id', lazy: screen(() => import('./routes/WebhookLog')) },
        { path: 'me/profile', lazy: screen(() => import('./routes/MyProfile')) },
        { path: '*', element: <NotFound /> },
      ],
    },
  ],
  { basename: '/app' },
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  </StrictMode>,
);
