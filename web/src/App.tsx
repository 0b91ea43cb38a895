import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { StoreLayout } from './components/Layout.tsx';
import { ToastProvider } from './components/Toasts.tsx';
import { Loading } from './components/ui.tsx';
import { SessionProvider } from './lib/session.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { AccountPage } from './pages/store/AccountPage.tsx';
import { LoginPage, RegisterPage } from './pages/store/AuthPages.tsx';
import { CartPage } from './pages/store/CartPage.tsx';
import { CatalogPage } from './pages/store/CatalogPage.tsx';
import { CheckoutPage } from './pages/store/CheckoutPage.tsx';
import { ClaimAccountPage, FindOrderPage } from './pages/store/GuestPages.tsx';
import { CheckoutRoute, OrderRoute } from './pages/store/GuestRoutes.tsx';
import { ConfirmationPage } from './pages/store/ConfirmationPage.tsx';
import { OrderDetailPage } from './pages/store/OrderDetailPage.tsx';
import { OrdersPage } from './pages/store/OrdersPage.tsx';
import { PayPage } from './pages/store/PayPage.tsx';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/store/PasswordPages.tsx';
import { ProductPage } from './pages/store/ProductPage.tsx';
import { RequireCustomer } from './pages/store/RequireCustomer.tsx';

const AdminApp = lazy(() => import('./pages/admin/AdminApp.tsx'));

export function App() {
  return (
    <ErrorBoundary>
      <SessionProvider>
        <ToastProvider>
          <BrowserRouter>
            <Routes>
              <Route
                path="/admin/*"
                element={
                  <Suspense
                    fallback={
                      <main id="main" className="container main">
                        <Loading label="Loading the dashboard…" />
                      </main>
                    }
                  >
                    <AdminApp />
                  </Suspense>
                }
              />
              <Route element={<StoreLayout />}>
                <Route index element={<CatalogPage />} />
                <Route path="products/:id" element={<ProductPage />} />
                <Route path="pay/:id" element={<PayPage />} />
                <Route
                  path="cart"
                  element={
                    <RequireCustomer notice="Sign in to see your cart.">
                      <CartPage />
                    </RequireCustomer>
                  }
                />
                <Route
                  path="checkout"
                  element={
                    <CheckoutRoute>
                      <RequireCustomer notice="Sign in to check out.">
                        <CheckoutPage />
                      </RequireCustomer>
                    </CheckoutRoute>
                  }
                />
                <Route
                  path="orders"
                  element={
                    <RequireCustomer notice="Sign in to see your orders.">
                      <OrdersPage />
                    </RequireCustomer>
                  }
                />
                <Route
                  path="orders/:id"
                  element={
                    <OrderRoute>
                      <RequireCustomer notice="Sign in to see this order.">
                        <OrderDetailPage />
                      </RequireCustomer>
                    </OrderRoute>
                  }
                />
                <Route
                  path="orders/:id/confirmation"
                  element={
                    <RequireCustomer notice="Sign in to see this order.">
                      <ConfirmationPage />
                    </RequireCustomer>
                  }
                />
                <Route
                  path="account"
                  element={
                    <RequireCustomer notice="Sign in to see your account.">
                      <AccountPage />
                    </RequireCustomer>
                  }
                />
                <Route path="login" element={<LoginPage />} />
                <Route path="register" element={<RegisterPage />} />
                <Route path="forgot-password" element={<ForgotPasswordPage />} />
                <Route path="reset-password" element={<ResetPasswordPage />} />
                <Route path="find-order" element={<FindOrderPage />} />
                <Route path="claim-account" element={<ClaimAccountPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </ToastProvider>
      </SessionProvider>
    </ErrorBoundary>
  );
}
