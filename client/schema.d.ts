// Generated from docs/api/openapi.yaml by `npm run client:generate`; do not edit by hand.
export interface paths {
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a customer account
         * @description Answers 202 whether or not the email already has an account, so sign-up does not reveal who has one; the owner of an existing account is emailed instead. Sign in with `login` to get a token. (201 with a session was the answer before 1.1.0 and is no longer sent.)
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in and receive a bearer token
         * @description After three failed attempts for one email, each further failure doubles a delay (1 s, 2 s, 4 s … at most 15 minutes) during which sign-in for that email answers 429 `login_delayed` with Retry-After.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out everywhere: every token of this account stops working */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the password: needs the current one, signs out every other session */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Email a single-use link to choose a new password
         * @description Answers 202 whether or not the email has an account. The link is `/reset-password#token=…` on the storefront and works once, for 30 minutes.
         */
        post: operations["requestPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Choose a new password with the token from a reset link; signs out everywhere */
        post: operations["resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish creating an account from a guest one with the token from the emailed link; signs in
         * @description Signing up (or asking for a password reset) with an email that has only placed guest orders sends that email a link, `/claim-account#token=…`, that works once, for 24 hours. With it the guest account gets this password and name and becomes a customer account, with every past guest order in its history. 422 `invalid_claim_link` for a link that has expired or been used.
         */
        post: operations["claimAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in account */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the signed-in account's name or phone (null removes the phone) */
        patch: operations["updateAccount"];
        trace?: never;
    };
    "/api/v1/account/addresses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The saved addresses of the signed-in account, oldest first */
        get: operations["listAddresses"];
        put?: never;
        /** Save an address (at most 20 per account) */
        post: operations["createAddress"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account/addresses/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace a saved address */
        put: operations["updateAddress"];
        post?: never;
        /** Delete a saved address */
        delete: operations["deleteAddress"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Browse the catalog, with the quantity each product has available */
        get: operations["listProducts"];
        put?: never;
        /** Add a product with its initial stock (admin) */
        post: operations["createProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One product */
        get: operations["getProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a product (admin) */
        patch: operations["updateProduct"];
        trace?: never;
    };
    "/api/v1/products/{id}/variants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a variant to a product with options; a new option value is added to the option (admin) */
        post: operations["addVariant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/variants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a variant's price, weight, tax category or whether it is sold; answers its product (admin) */
        patch: operations["updateVariant"];
        trace?: never;
    };
    "/api/v1/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every category of the catalog tree, in display order */
        get: operations["listCategories"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a category, at most three levels deep (admin) */
        post: operations["createCategory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/categories/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an empty category (admin) */
        delete: operations["deleteCategory"];
        options?: never;
        head?: never;
        /** Rename, move or reorder a category (admin) */
        patch: operations["updateCategory"];
        trace?: never;
    };
    "/api/v1/admin/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a product image: the raw bytes as image/png, image/jpeg or image/webp, up to 2 MiB (admin) */
        post: operations["uploadImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products/{id}/stock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set or replenish the stock on hand of a product without options (admin)
         * @description At `locationId`, or at the highest-priority active location when it is absent.
         */
        post: operations["adjustStock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/variants/{id}/stock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set or replenish the stock on hand of one variant (admin)
         * @description At `locationId`, or at the highest-priority active location when it is absent.
         */
        post: operations["adjustVariantStock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/inventory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stock on hand, reserved and available for every product, lowest first (admin)
         * @description Each variant added up over its locations, or with `locationId` what that location holds (every variant, 0 where it has none).
         */
        get: operations["listInventory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stock-locations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The stock locations, highest priority first (admin)
         * @description Every location, active or not; placement takes stock from active ones only.
         */
        get: operations["listStockLocations"];
        put?: never;
        /**
         * Add a stock location (admin)
         * @description A new warehouse or shop floor, empty; last in priority unless `priority` is given. Stock arrives by adjusting or transferring.
         */
        post: operations["createStockLocation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stock-locations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Rename, reorder, activate or deactivate a stock location (admin)
         * @description A location holding stock, reservations or paid units not yet shipped cannot be deactivated (409 location_in_use), nor the last active one.
         */
        patch: operations["updateStockLocation"];
        trace?: never;
    };
    "/api/v1/admin/inventory/allocation-rule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How placement chooses the location of each variant (admin)
         * @description A variant is never split across locations.
         */
        get: operations["getAllocationRule"];
        /**
         * Choose how placement picks stock locations (admin)
         * @description Applies to orders placed from now on; existing reservations stay where they are.
         */
        put: operations["setAllocationRule"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stock-transfers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stock transfers, newest first (admin)
         * @description With `locationId`, those from or to that location; `before` is the last id of the previous page.
         */
        get: operations["listStockTransfers"];
        put?: never;
        /**
         * Move free units from one stock location to another (admin)
         * @description Only units on hand and not reserved move. When the source has too few of any variant nothing moves: 409 insufficient_stock_at_location with the shortages.
         */
        post: operations["transferStock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your orders, newest first */
        get: operations["listOrders"];
        put?: never;
        /** Place an order: reserve stock, take payment, confirm */
        post: operations["createOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One order: yours, or any for an admin */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the lines or the shipping address of an order that has not shipped */
        patch: operations["modifyOrder"];
        trace?: never;
    };
    "/api/v1/orders/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every status change and modification of an order, oldest first */
        get: operations["getOrderTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/modification-quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Price a change to the lines of an order without making it: what to confirm before paying */
        post: operations["quoteOrderModification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel an order that has not shipped; stock goes back and payments are refunded */
        post: operations["cancelOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search all orders (admin) */
        get: operations["adminListOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download the orders an admin search finds as CSV (admin)
         * @description One row per order: number, dates, statuses, customer, amounts, address, shipment, for a spreadsheet: the admin order search's filters and sort (all of its pages), RFC 4180 CSV in UTF-8, money as a decimal in the order's currency and in minor units, times in ISO 8601 UTC. A text cell a spreadsheet would read as a formula starts with an apostrophe. Streamed: it starts at once and holds only one batch in memory (docs/exports.md).
         */
        get: operations["exportOrdersCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/order-lines/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download the lines of the orders an admin search finds as CSV (admin)
         * @description One row per order line: the order's number, date and status, the SKU, name, quantity and amounts, for a spreadsheet: the admin order search's filters and sort (all of its pages), RFC 4180 CSV in UTF-8, money as a decimal in the order's currency and in minor units, times in ISO 8601 UTC. A text cell a spreadsheet would read as a formula starts with an apostrophe. Streamed: it starts at once and holds only one batch in memory (docs/exports.md).
         */
        get: operations["exportOrderLinesCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a pending order whose payment was captured (admin) */
        post: operations["confirmOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel an order with a reason (admin) */
        post: operations["adminCancelOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refund part or all of what was paid (admin) */
        post: operations["refundOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Today's and this week's orders and net revenue (captured minus refunded), success rate, orders per day (admin) */
        get: operations["getAdminStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your cart, at current prices, with stock warnings */
        get: operations["getCart"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cart/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a variant to your cart (adds to the quantity already there) */
        post: operations["addCartItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cart/items/{productId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set the quantity of a variant in your cart */
        put: operations["updateCartItem"];
        post?: never;
        /** Remove a variant from your cart */
        delete: operations["removeCartItem"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cart/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Place an order for everything in your cart; the cart empties when it goes through */
        post: operations["checkoutCart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/checkout/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Price a checkout: shipping methods, discount, tax and the total to confirm */
        post: operations["quoteCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search customers who have ordered, by last order or total spent (admin) */
        get: operations["listCustomers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer with their addresses, lifetime value and latest orders (admin) */
        get: operations["getCustomer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/guest/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Place an order without an account: an email and a name instead of a sign-in
         * @description The order is placed on the email's account: a guest account made for it on its first order, or the registered account that has the email (the order then shows in that account's history). The answer is the same either way, and carries `accessToken` for getGuestOrder. Limited per client address and per email like sign-in.
         */
        post: operations["placeGuestOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/guest/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order and its timeline, opened with the token of its link
         * @description 401 `invalid_order_link` for a token that is not a valid order link (tampered, expired, or revoked since); 404 for a link to another order.
         */
        get: operations["getGuestOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/guest/orders/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Find a guest order by its number and email, and get a token to open it
         * @description One 404, with one message, for an unknown number, a wrong email, and an order of a registered account (whose owner signs in). Limited per client address and per email like sign-in.
         */
        post: operations["lookupGuestOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/shipments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ship some or all of what remains of an order, in one parcel (admin)
         * @description Takes the lines and quantities asked for (or everything that remains) from one stock location, with the parcel's carrier and tracking number, and e-mails the customer what is in it. The order becomes partially_shipped, or shipped when nothing remains. With an `Idempotency-Key` (unique within the order), the same request sent again answers 201 with the shipment it made and ships nothing more; the same key with another body is 422 `idempotency_key_reused`. 409 `quantity_exceeds_remaining` (details.lines: lineId, requested, remaining) when a line has fewer units left to ship; 409 `invalid_transition` for an order that is not paid, is cancelled or has shipped; 409 `insufficient_stock_at_location` when the location lacks the units; 422 `unknown_order_lines`, `duplicate_order_lines`, `unknown_location`.
         */
        post: operations["createShipment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/shipments/{shipmentId}/deliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark one shipment of an order delivered (admin)
         * @description The order becomes delivered once every unit has arrived, partially_delivered before. Marking a delivered shipment again answers the same and changes nothing.
         */
        post: operations["deliverShipment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/shipments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order's shipments, with their lines and tracking
         * @description For the order's customer and admins (bearer token), or whoever holds a guest's order link (`token`, as for getGuestOrder). Another customer's order is a 404.
         */
        get: operations["listOrderShipments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/ship": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ship everything that remains of an order in one shipment (admin)
         * @description API 1.x's single parcel: createShipment with every remaining unit, from the default stock location.
         */
        post: operations["shipOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/deliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark every shipment of an order delivered (admin)
         * @description API 1.x's single parcel: deliverShipment for each shipment not yet delivered.
         */
        post: operations["deliverOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/draft-orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The drafts, newest first (the order search does not list them) */
        get: operations["listDraftOrders"];
        put?: never;
        /** Start an order for a customer (a phone order); no stock is held yet */
        post: operations["createDraftOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/draft-orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One draft, or the order it became */
        get: operations["getDraftOrder"];
        put?: never;
        post?: never;
        /** Delete a draft (only while it is a draft) */
        delete: operations["deleteDraftOrder"];
        options?: never;
        head?: never;
        /** Change a draft's lines (the full new list), prices or address */
        patch: operations["updateDraftOrder"];
        trace?: never;
    };
    "/api/v1/admin/draft-orders/{id}/offline-payment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record that the customer paid the shop directly: the draft is confirmed and its stock sold
         * @description 409 `out_of_stock` (the draft stays) when the stock is short; 422 `amount_mismatch` when the amount is not the order's total.
         */
        post: operations["recordOfflinePayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/draft-orders/{id}/payment-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Email the customer a link to pay: the order becomes pending and its stock is held
         * @description 409 `out_of_stock` (the draft stays) when the stock is short. The stock is held, and the link works, for 7 days; then the order is cancelled.
         */
        post: operations["sendPaymentLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The order a payment link is for, with its total, opened with the link token
         * @description 401 `invalid_payment_link` for a token that is not a valid payment link (tampered, expired, revoked); 404 for a link to another order.
         */
        get: operations["getPayableOrder"];
        put?: never;
        /**
         * Pay for an order with its payment link: charged once, however often it is sent
         * @description An order already paid is answered as it is, without a second charge. 402 when the card is declined (the order is then cancelled, as at checkout); 409 when the order can no longer be paid.
         */
        post: operations["payOrderByLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The mailbox: every email and SMS, newest first (admin) */
        get: operations["listNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/notifications/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One message with its rendered HTML and text (admin) */
        get: operations["getNotification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/notifications/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a message again: pending, due now, with a fresh series of attempts (admin) */
        post: operations["resendNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/shipping/zones": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every shipping zone with its areas and methods, active or not (admin) */
        get: operations["listShippingZones"];
        put?: never;
        /** Add a zone the shop delivers to: countries, or regions of them (admin) */
        post: operations["createShippingZone"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/shipping/zones/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a zone with its areas and methods; refused while it has tax rates (admin) */
        delete: operations["deleteShippingZone"];
        options?: never;
        head?: never;
        /** Rename a zone or replace its areas (admin) */
        patch: operations["updateShippingZone"];
        trace?: never;
    };
    "/api/v1/admin/shipping/zones/{id}/methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a shipping method to a zone: flat, free above a subtotal, or by weight bands (admin) */
        post: operations["createShippingMethod"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/shipping/methods/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a shipping method's name, rate, position, or bring it back into use (admin) */
        patch: operations["updateShippingMethod"];
        trace?: never;
    };
    "/api/v1/admin/shipping/methods/{id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop offering a shipping method; orders that used it keep it (admin) */
        post: operations["deactivateShippingMethod"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/tax/rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tax rates, of one zone or all, each zone's standard rate first (admin) */
        get: operations["listTaxRates"];
        put?: never;
        /** Add a zone's standard rate or a rate for a tax category (admin) */
        post: operations["createTaxRate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/tax/rates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a tax rate (admin) */
        delete: operations["deleteTaxRate"];
        options?: never;
        head?: never;
        /** Change a tax rate's name, category or rate (admin) */
        patch: operations["updateTaxRate"];
        trace?: never;
    };
    "/api/v1/admin/discount-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Discount codes in alphabetical order, with how often each was used (admin) */
        get: operations["listDiscountCodes"];
        put?: never;
        /** Create a discount code: a percentage, a fixed amount or free shipping (admin) */
        post: operations["createDiscountCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/discount-codes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One discount code, with how often it was used (admin) */
        get: operations["getDiscountCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a discount code, or deactivate it with `active: false` (admin)
         * @description The code and its kind stay as they are; a percentage code takes `percentage`, a fixed one `amount`. `null` removes a minimum, a date or a limit.
         */
        patch: operations["updateDiscountCode"];
        trace?: never;
    };
    "/api/v1/admin/webhook-event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The event types an endpoint may subscribe to (admin)
         * @description Every published domain event, with the context it comes from (docs/webhooks.md).
         */
        get: operations["listWebhookEventTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every webhook endpoint, oldest first (admin)
         * @description The endpoints with their subscriptions and how many deliveries wait or failed; never their secrets.
         */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /**
         * Register a webhook endpoint; the answer holds its secret, shown this once (admin)
         * @description The URL is checked against the address policy (422 webhook_url_forbidden or webhook_url_invalid).
         */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One webhook endpoint, without its secret (admin)
         * @description Its URL, subscriptions, state and delivery figures.
         */
        get: operations["getWebhookEndpoint"];
        put?: never;
        post?: never;
        /**
         * Delete an endpoint with its deliveries and their log (admin)
         * @description Deliveries still waiting are dropped with it.
         */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        /**
         * Change an endpoint’s URL, description, event types, or enable/disable it (admin)
         * @description Fields left out stay as they are. A new URL is checked like at registration.
         */
        patch: operations["updateWebhookEndpoint"];
        trace?: never;
    };
    "/api/v1/admin/webhooks/{id}/secret/reveal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Show an endpoint’s signing secret (admin)
         * @description A POST, so that showing a secret is a deliberate act, recorded in the audit log with who asked.
         */
        post: operations["revealWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/webhooks/{id}/secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace an endpoint’s signing secret with a new one, shown once (admin)
         * @description Takes effect at once: every attempt from now on, retries included, is signed with the new secret.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a WebhookTest event to an endpoint (admin)
         * @description A delivery like any other (signed, retried, logged), whatever the endpoint subscribed to.
         */
        post: operations["sendWebhookTestEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An endpoint’s deliveries, newest first (admin)
         * @description Status, attempts so far and the next attempt of each.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/webhook-deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One delivery with its body and every attempt (admin)
         * @description Each attempt: status code, duration, error and the start of the answer.
         */
        get: operations["getWebhookDelivery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/webhook-deliveries/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deliver an event again: a new delivery of the same event, same event id (admin)
         * @description Whatever became of the original; the new delivery is due at once and retried like any other.
         */
        post: operations["replayWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/shop-details": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The shop's details printed on invoices, credit notes and packing slips (admin)
         * @description The seller on every document issued from now on, and whether the invoice is attached to the order confirmation e-mail. Documents already issued keep the details they were issued with.
         */
        get: operations["getShopDetails"];
        /**
         * Change the shop's details printed on documents (admin)
         * @description Replaces every field. Invoices and credit notes issued before keep the details they were issued with; new ones, and every packing slip, show these.
         */
        put: operations["updateShopDetails"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order's invoice and credit notes (admin)
         * @description The invoice is null until the order is paid (and for orders paid before invoices were issued); one credit note per refund, oldest first. Each downloads as PDF; the packing slip is always there for an order.
         */
        get: operations["listOrderDocuments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/invoice.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order's invoice as PDF (admin)
         * @description 404 when the order has no invoice (not paid yet).
         */
        get: operations["downloadOrderInvoice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/credit-notes/{creditNoteId}.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One credit note of an order as PDF (admin)
         * @description The ids are in listOrderDocuments. 404 for a credit note of another order.
         */
        get: operations["downloadCreditNote"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/packing-slip.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order's packing slip as PDF: lines, quantities and the shipping address, no prices (admin)
         * @description Drawn from the order as it is now, so a changed order prints its current lines.
         */
        get: operations["downloadPackingSlip"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/orders/{id}/shipments/{shipmentId}/packing-slip.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One shipment's packing slip as PDF: what that parcel holds, where it leaves from and its tracking, no prices (admin) */
        get: operations["downloadShipmentPackingSlip"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/invoice.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The invoice of your order as PDF: signed in, or with the order link of a guest order
         * @description The order's owner signed in, or anyone with the `token` of the order's link (guest checkout, getGuestOrder). Another customer's order is a 404; 401 without a sign-in or token, or with a token that is not a valid order link; 404 when the order has no invoice yet.
         */
        get: operations["downloadMyInvoice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/returns/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The shop’s return policy: the return window, whether shipping is refunded, the reasons */
        get: operations["getReturnPolicy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/return-policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change the return policy (admin)
         * @description Fields left out keep their value. Recorded in the audit log.
         */
        put: operations["updateReturnPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/returns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The returns of an order, oldest first
         * @description For the order’s owner (signed in, or a guest with `?token=`) and admins.
         */
        get: operations["listOrderReturns"];
        put?: never;
        /**
         * Ask to return delivered items of an order
         * @description By the order’s owner (signed in, or a guest with `?token=` from the order link). Only delivered units that are in no other return (rejected ones excepted), within the policy’s window since their delivery: `409 not_returnable` says per line how many can be returned, `409 return_window_closed` which lines are too late, `422 unknown_line` names lines not on the order.
         */
        post: operations["requestReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/returns/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Price a return or an exchange before asking for it: each replacement’s difference, the charge
         * @description Nothing is kept or charged. The same lines as requestReturn; a line with `replacementVariantId` is an exchange, priced at the difference in unit price taxed like the line (the discount the line had stays with it, so a swap at one price is free). `charge` is what requestReturn takes when the exchange costs more in all.
         */
        post: operations["quoteReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/returns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All returns, newest first, optionally of one status (admin) */
        get: operations["adminListReturns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/returns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One return, with what a refund would give back now (admin) */
        get: operations["adminGetReturn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/returns/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a requested return: the shopper may send the items back (admin)
         * @description 409 `invalid_return_transition` says why when the return is not requested.
         */
        post: operations["approveReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/returns/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a requested return, with the reason the shopper is told (admin)
         * @description Its units may be asked for again in another return.
         */
        post: operations["rejectReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/returns/{id}/receive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record the items of an approved return as received: each restocked at a location or written off (admin)
         * @description Every line of the return, once: `restock` puts its units back on the shelf at `locationId` (default: the highest-priority location), `write_off` does not. A return with nothing left to refund is closed at once. Two admins receiving one return at once: one succeeds, the other gets 409.
         */
        post: operations["receiveReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/returns/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refund a received return, for the amount the admin confirmed (admin)
         * @description `expectedAmount` is `refundDue.amount` as shown (adminGetReturn): when the amount is now another, 409 `amount_changed` gives it in `details.amount` and nothing is refunded. The money goes back through the order’s refund path with the idempotency key `orderly-<orderId>-return-<returnId>`: sent twice, the refund is made once: the other answer shows the refunded return, or is 409 `refund_in_progress` while the first is still with the provider. 502 `refund_failed` when the payment provider did not take it (the return stays received; try again).
         */
        post: operations["refundReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/returns/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a requested or approved return or exchange whose items have not come back, with an optional reason the customer is told (admin)
         * @description An approved exchange’s replacements go back on the shelf; what a dearer exchange charged is refunded with the idempotency key `orderly-<orderId>-return-<returnId>-cancel`. 409 `invalid_return_transition` says why not (received, or already finished), `replacement_shipped` once the replacement has left. 502 `refund_failed` when the payment provider did not take the refund: the return stays as it was; send it again to finish with the same key. A cancelled return’s units may be asked for again.
         */
        post: operations["cancelReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/returns/{returnId}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw one’s own return or exchange before its items are sent back
         * @description By the order’s owner (signed in, or a guest with `?token=`), while the return is requested or approved: the same step as cancelReturn, without a reason. What a dearer exchange charged is refunded; 409 `invalid_return_transition` once the items are back or the return is finished, `replacement_shipped` once the replacement has left; 502 `refund_failed` as for cancelReturn.
         */
        post: operations["withdrawReturn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/returns/{id}/replacement-shipment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ship an approved exchange’s replacements in one parcel, with its tracking (admin)
         * @description The units held when the exchange was approved leave from `locationId` (default: the highest-priority location); the shopper is emailed the tracking link. 409 `not_an_exchange`, `exchange_not_approved`, `exchange_rejected` or `replacement_shipped` say why not; `insufficient_stock_at_location` when that location has too few.
         */
        post: operations["shipExchangeReplacement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every staff member, with their role and whether they are active (owner)
         * @description Invited members have not yet chosen a password; deactivated ones can no longer sign in. Oldest first.
         */
        get: operations["listStaff"];
        put?: never;
        /**
         * Add a staff member and email them a link to choose their password (owner)
         * @description The link (`/reset-password#token=…`) works once, for 72 hours; after that "Forgot password" sends a new one. 409 `email_taken` when the email has an account already.
         */
        post: operations["inviteStaffMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/staff/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a staff member's role (owner); it applies from their next request
         * @description 409 `last_owner` when this would leave the shop without an active owner.
         */
        patch: operations["changeStaffRole"];
        trace?: never;
    };
    "/api/v1/admin/staff/{id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deactivate a staff member: their sessions end at once and they cannot sign in (owner)
         * @description Their name stays on what they did (order timelines, the audit log). Deactivating someone already deactivated changes nothing; reactivateStaffMember undoes it. 409 `last_owner` for the last active owner.
         */
        post: operations["deactivateStaffMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/staff/{id}/reactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Let a deactivated staff member sign in again, with the role they had (owner)
         * @description Sessions ended by the deactivation stay ended: they sign in again with their password (an invited member who never chose one uses the invitation or "Forgot password"). 409 `not_deactivated` when the member is not deactivated.
         */
        post: operations["reactivateStaffMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who changed money, stock, settings or the staff, newest first (owner) */
        get: operations["listAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events: `stock` for everyone, `order` too with an admin token */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/my-orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-Sent Events of the signed-in customer's own orders (`order`: id, event type, status)
         * @description The token goes in the query (an EventSource cannot send headers) or in the Authorization header. Without a valid one: 401. Only events of orders the token's account placed are sent.
         */
        get: operations["streamMyOrderEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Accepted: {
            /** @description what happens next, for people */
            message: string;
        };
        Account: {
            /** Format: uuid */
            id: string;
            email: string;
            name: string;
            phone: string | null;
            /**
             * @description admin: a staff member
             * @enum {string}
             */
            role: "customer" | "admin";
            /**
             * @description a staff member's role; null for a customer
             * @enum {string|null}
             */
            staffRole: "owner" | "staff" | "support" | null;
            /** @description what this account may use in the admin (docs/staff.md); empty for a customer */
            permissions: ("orders.read" | "orders.write" | "returns" | "inventory" | "refunds" | "notifications" | "catalog" | "settings" | "staff")[];
        };
        Address: {
            /** @description the recipient, as on the label; the customer's name when left out */
            name?: string;
            /** @description for the carrier, international format (+1 415 555 0100) preferred */
            phone?: string;
            street: string;
            city: string;
            /** @description state, province or prefecture: required in US, CA, AU, BR, MX, IN, CN and JP */
            state?: string;
            zip: string;
            /** @description ISO 3166-1 alpha-2; US when left out */
            country?: string;
        };
        AllocationRule: {
            /**
             * @description priority: each variant from the first location that has all of it; whole_order: the first location that has the whole order, else as priority
             * @enum {string}
             */
            rule: "priority" | "whole_order";
        };
        AuditEntry: {
            /** @description the entry's place in the log */
            id: string;
            /** Format: date-time */
            at: string;
            /** @description who did it; null for Orderly itself (a job, a webhook) */
            actor: {
                /** Format: uuid */
                id: string;
                name: string;
                email: string;
            } | null;
            /** @description what was done, `area.verb`: order.refund, staff.invite, … */
            action: string;
            targetType: string;
            targetId: string;
            details: {
                [key: string]: unknown;
            };
        };
        Cart: {
            items: {
                /** Format: uuid */
                productId: string;
                /** Format: uuid */
                variantId: string;
                name: string;
                variantTitle: string;
                sku: string;
                quantity: number;
                price: number;
                currency: string;
                imageUrl: string | null;
                available: number;
                priceChanged: {
                    from: number;
                    to: number;
                } | null;
                warning: {
                    /** @enum {string} */
                    code: "insufficient_stock" | "out_of_stock" | "unavailable";
                    message: string;
                    available: number;
                } | null;
            }[];
            subtotal: number;
            currency: string;
        };
        Category: {
            /** Format: uuid */
            id: string;
            name: string;
            slug: string;
            /**
             * Format: uuid
             * @description null for a top-level category
             */
            parentId: string | null;
            /** @description order among its siblings, lowest first */
            position: number;
        };
        CheckoutQuote: {
            lines: {
                productId: string;
                variantId: string;
                name: string;
                /** @description the options picked, "M / Blue"; empty for a product without options */
                variantTitle: string;
                sku: string;
                quantity: number;
                /** @description the unit price */
                price: number;
                /** @description the line's share of the order's discount */
                discount: number;
                /** @description included in the price when the order was priced tax-inclusive */
                tax: number;
                /** @description what the line costs after discount, with tax */
                total: number;
            }[];
            /** @description the methods that serve this address and basket, cheapest first */
            shippingMethods: {
                /** Format: uuid */
                id: string;
                name: string;
                price: number;
            }[];
            /** Format: uuid */
            shippingMethodId: string | null;
            shipping: {
                name: string;
                price: number;
                discount: number;
                tax: number;
                total: number;
            } | null;
            discount: {
                code: string;
                description: string;
                amount: number;
            } | null;
            /** @description the items at their prices, before discount */
            subtotal: number;
            /** @description taken off the items (a free-shipping code shows on shipping) */
            discountTotal: number;
            /** @description shipping after its discount, before its tax (which taxTotal counts): subtotal − discountTotal + shippingTotal + taxTotal = total, or without taxTotal when prices include tax */
            shippingTotal: number;
            taxTotal: number;
            /** @description prices include tax: the tax is part of them, not added */
            pricesIncludeTax: boolean;
            taxLines: {
                name: string;
                /** @description a percentage: 8.25 is 8.25 % */
                rate: number;
                base: number;
                amount: number;
            }[];
            /** @description what placing this order charges: send it back as expectedTotal */
            total: number;
            currency: string;
        };
        CreateDraftOrderRequest: {
            customer: components["schemas"]["DraftCustomer"];
            /** @description the full list of lines: one per variant */
            items: components["schemas"]["DraftLine"][];
            shippingAddress: components["schemas"]["Address"];
        };
        CreateOrderRequest: {
            customerId: string;
            items: components["schemas"]["LineItem"][];
            shippingAddress: components["schemas"]["Address"];
            paymentMethod: components["schemas"]["PaymentMethod"];
            /**
             * Format: uuid
             * @description one of quoteCheckout shippingMethods; omitted: the cheapest that serves the address
             */
            shippingMethodId?: string;
            discountCode?: string;
            /** @description the quote's total the shopper saw: 409 price_changed when it differs; required (422 confirmation_required) when shipping, tax or a discount make the total differ from the items' prices */
            expectedTotal?: number;
        };
        CreateShipmentRequest: {
            /** @description the order lines and how many of each; omitted: everything that remains to ship */
            lines?: {
                /** Format: uuid */
                lineId: string;
                quantity: number;
            }[];
            carrier: string;
            trackingNumber: string;
            /**
             * Format: uri
             * @description the carrier's tracking page for this parcel; the customer's e-mail links to it
             */
            trackingUrl?: string;
            /**
             * Format: uuid
             * @description the stock location it leaves from; omitted: the inventory's default
             */
            locationId?: string;
        };
        /** @description The endpoint with its secret: shown now, and later only by reveal or rotate */
        CreatedWebhookEndpoint: {
            /** Format: uuid */
            id: string;
            url: string;
            description: string;
            eventTypes: ("OrderPlaced" | "OrderConfirmed" | "OrderModified" | "OrderCancelled" | "OrderShipped" | "OrderDelivered" | "PaymentProcessed" | "PaymentFailed" | "RefundIssued" | "RefundFailed" | "StockReserved" | "StockReleased" | "StockReplenished" | "StockAdjusted" | "StockCommitted" | "StockShipped" | "StockTransferred" | "EmailSent" | "SMSSent" | "ReturnRequested" | "ReturnApproved" | "ReturnRejected" | "ReturnReceived" | "ReturnRefunded" | "ReturnClosed" | "ReturnCancelled" | "ExchangeShipped")[];
            /** @description a disabled endpoint gets no new deliveries; its waiting ones wait */
            enabled: boolean;
            pendingDeliveries: number;
            failedDeliveries: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * @description the signing secret (whsec_…); verify each request’s Orderly-Signature with it
             * @example whsec_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz
             */
            secret: string;
        };
        Customer: {
            /** Format: uuid */
            id: string;
            name: string;
            email: string;
            /**
             * Format: date-time
             * @description when the account was created
             */
            createdAt: string;
            /** @description orders the customer paid for */
            ordersCount: number;
            /** @description decimal amount: captured minus refunded over their orders (lifetime value) */
            totalSpent: number;
            currency: string;
            /**
             * Format: date-time
             * @description when the latest order they paid for was placed; null before their first
             */
            lastOrderAt: string | null;
            phone: string | null;
            addresses: components["schemas"]["SavedAddress"][];
            /** @description their latest orders, newest first */
            recentOrders: {
                /** Format: uuid */
                id: string;
                /** @description the number people quote, shown as #1001 */
                orderNumber: number;
                /** Format: uuid */
                customerId: string;
                customerEmail: string;
                /**
                 * @description as API 1.0 knew it: an order part of which has shipped (partially_shipped, partially_delivered) reads as shipped; detailedStatus tells them apart
                 * @enum {string}
                 */
                status: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
                /**
                 * @description the status with the partial steps of fulfilment: confirmed → partially_shipped → shipped → partially_delivered → delivered, as the shipments say (docs/fulfilment.md)
                 * @enum {string}
                 */
                detailedStatus: "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
                total: number;
                currency: string;
                /** @enum {string} */
                paymentStatus: "pending" | "requires_action" | "paid" | "failed" | "partially_refunded" | "refunded";
                /** Format: date-time */
                createdAt: string;
            }[];
        };
        CustomerSummary: {
            /** Format: uuid */
            id: string;
            name: string;
            email: string;
            /**
             * Format: date-time
             * @description when the account was created
             */
            createdAt: string;
            /** @description orders the customer paid for */
            ordersCount: number;
            /** @description decimal amount: captured minus refunded over their orders (lifetime value) */
            totalSpent: number;
            currency: string;
            /**
             * Format: date-time
             * @description when the latest order they paid for was placed; null before their first
             */
            lastOrderAt: string | null;
        };
        DiscountCode: {
            /** Format: uuid */
            id: string;
            /** @description upper case; shoppers may type it in any case */
            code: string;
            /** @enum {string} */
            kind: "percentage" | "fixed" | "free_shipping";
            /** @description for a percentage code: 10 is 10 % */
            percentage: number | null;
            /** @description for a fixed code: decimal amount in the currency */
            amount: number | null;
            currency: string;
            /** @description the least subtotal it applies to */
            minimumSubtotal: number | null;
            /**
             * Format: date-time
             * @description works from this instant on (inclusive)
             */
            startsAt: string | null;
            /**
             * Format: date-time
             * @description stops working at this instant (exclusive)
             */
            endsAt: string | null;
            /** @description uses in all; null for no limit */
            usageLimit: number | null;
            /** @description uses per customer; null for no limit */
            perCustomerLimit: number | null;
            /** @description uses by orders not cancelled before shipping */
            timesUsed: number;
            active: boolean;
            /** @description what it gives, for people */
            description: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description an account id, or an email and name: the email's account, made as a guest account when it has none */
        DraftCustomer: {
            /**
             * Format: uuid
             * @description an existing customer's (or guest's) account
             */
            accountId: string;
        } | {
            /** Format: email */
            email: string;
            name: string;
        };
        DraftLine: {
            /**
             * Format: uuid
             * @description a product without options; a product with options is bought by naming its variant
             */
            productId?: string;
            /**
             * Format: uuid
             * @description the variant bought; takes precedence over productId
             */
            variantId?: string;
            quantity: number;
            /** @description the unit price; the catalog's when left out. Another price needs a reason */
            price?: number;
            /** @description why the price is not the catalog's; kept in the order's history */
            reason?: string;
        };
        DraftOrder: {
            /** Format: uuid */
            id: string;
            /** @description the number people quote, shown as #1001 */
            orderNumber: number;
            customerId: string;
            /** @enum {string} */
            status: "draft" | "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
            /** @enum {string} */
            detailedStatus: "draft" | "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
            items: {
                productId: string;
                variantId: string;
                name: string;
                /** @description the options picked, "M / Blue"; empty for a product without options */
                variantTitle: string;
                sku: string;
                quantity: number;
                /** @description the unit price */
                price: number;
                /** @description the line's share of the order's discount */
                discount: number;
                /** @description included in the price when the order was priced tax-inclusive */
                tax: number;
                /** @description what the line costs after discount, with tax */
                total: number;
                /**
                 * Format: uuid
                 * @description the line, as a shipment names it
                 */
                id: string;
            }[];
            /** @description the items at their prices, before discount */
            subtotal: number;
            /** @description taken off the items (a free-shipping code shows on shipping) */
            discountTotal: number;
            /** @description shipping after its discount, before its tax (which taxTotal counts): subtotal − discountTotal + shippingTotal + taxTotal = total, or without taxTotal when prices include tax */
            shippingTotal: number;
            taxTotal: number;
            /** @description prices include tax: the tax is part of them, not added */
            pricesIncludeTax: boolean;
            taxLines: {
                name: string;
                /** @description a percentage: 8.25 is 8.25 % */
                rate: number;
                base: number;
                amount: number;
            }[];
            shipping: {
                methodId: string | null;
                name: string;
                price: number;
                discount: number;
                tax: number;
                total: number;
            } | null;
            discount: {
                code: string;
                amount: number;
            } | null;
            total: number;
            currency: string;
            shippingAddress: components["schemas"]["ShippingAddress"];
            /** @description who placed the order: shown to admins only */
            customer?: {
                name: string;
                email: string;
            };
            payment: {
                /** @enum {string} */
                status: "pending" | "requires_action" | "paid" | "failed" | "partially_refunded" | "refunded";
                amountPaid: number;
                amountRefunded: number;
                /** @description present while 3-D Secure must be completed */
                clientSecret?: string;
            };
            trackingNumber: string | null;
            carrier: string | null;
            cancellationReason: string | null;
            /** @description why the order was cancelled, in words for the shopper; null unless cancelled */
            cancellationMessage: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            actions: {
                confirm: {
                    allowed: boolean;
                    reason: string | null;
                };
                modify: {
                    allowed: boolean;
                    reason: string | null;
                };
                cancel: {
                    allowed: boolean;
                    reason: string | null;
                };
                ship: {
                    allowed: boolean;
                    reason: string | null;
                };
                deliver: {
                    allowed: boolean;
                    reason: string | null;
                };
                refund: {
                    allowed: boolean;
                    reason: string | null;
                };
                editDraft: {
                    allowed: boolean;
                    reason: string | null;
                };
                deleteDraft: {
                    allowed: boolean;
                    reason: string | null;
                };
                recordOfflinePayment: {
                    allowed: boolean;
                    reason: string | null;
                };
                sendPaymentLink: {
                    allowed: boolean;
                    reason: string | null;
                };
            };
        };
        Error: {
            /** @description stable machine-readable code */
            code: string;
            /** @description a sentence for people */
            message: string;
            details: {
                [key: string]: unknown;
            };
        };
        GuestOrder: {
            /** Format: uuid */
            id: string;
            /** @description the number people quote, shown as #1001 */
            orderNumber: number;
            customerId: string;
            /**
             * @description as API 1.0 knew it: an order part of which has shipped (partially_shipped, partially_delivered) reads as shipped; detailedStatus tells them apart
             * @enum {string}
             */
            status: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
            /**
             * @description the status with the partial steps of fulfilment: confirmed → partially_shipped → shipped → partially_delivered → delivered, as the shipments say (docs/fulfilment.md)
             * @enum {string}
             */
            detailedStatus: "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
            items: {
                productId: string;
                variantId: string;
                name: string;
                /** @description the options picked, "M / Blue"; empty for a product without options */
                variantTitle: string;
                sku: string;
                quantity: number;
                /** @description the unit price */
                price: number;
                /** @description the line's share of the order's discount */
                discount: number;
                /** @description included in the price when the order was priced tax-inclusive */
                tax: number;
                /** @description what the line costs after discount, with tax */
                total: number;
                /**
                 * Format: uuid
                 * @description the line, as a shipment names it
                 */
                id: string;
            }[];
            /** @description the items at their prices, before discount */
            subtotal: number;
            /** @description taken off the items (a free-shipping code shows on shipping) */
            discountTotal: number;
            /** @description shipping after its discount, before its tax (which taxTotal counts): subtotal − discountTotal + shippingTotal + taxTotal = total, or without taxTotal when prices include tax */
            shippingTotal: number;
            taxTotal: number;
            /** @description prices include tax: the tax is part of them, not added */
            pricesIncludeTax: boolean;
            taxLines: {
                name: string;
                /** @description a percentage: 8.25 is 8.25 % */
                rate: number;
                base: number;
                amount: number;
            }[];
            shipping: {
                methodId: string | null;
                name: string;
                price: number;
                discount: number;
                tax: number;
                total: number;
            } | null;
            discount: {
                code: string;
                amount: number;
            } | null;
            total: number;
            currency: string;
            shippingAddress: components["schemas"]["ShippingAddress"];
            /** @description who placed the order: shown to admins only */
            customer?: {
                name: string;
                email: string;
            };
            payment: {
                /** @enum {string} */
                status: "pending" | "requires_action" | "paid" | "failed" | "partially_refunded" | "refunded";
                amountPaid: number;
                amountRefunded: number;
                /** @description present while 3-D Secure must be completed */
                clientSecret?: string;
            };
            trackingNumber: string | null;
            carrier: string | null;
            cancellationReason: string | null;
            /** @description why the order was cancelled, in words for the shopper; null unless cancelled */
            cancellationMessage: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            actions: {
                confirm: {
                    allowed: boolean;
                    reason: string | null;
                };
                modify: {
                    allowed: boolean;
                    reason: string | null;
                };
                cancel: {
                    allowed: boolean;
                    reason: string | null;
                };
                ship: {
                    allowed: boolean;
                    reason: string | null;
                };
                deliver: {
                    allowed: boolean;
                    reason: string | null;
                };
                refund: {
                    allowed: boolean;
                    reason: string | null;
                };
                editDraft: {
                    allowed: boolean;
                    reason: string | null;
                };
                deleteDraft: {
                    allowed: boolean;
                    reason: string | null;
                };
                recordOfflinePayment: {
                    allowed: boolean;
                    reason: string | null;
                };
                sendPaymentLink: {
                    allowed: boolean;
                    reason: string | null;
                };
            };
            /** @description opens this order's page with getGuestOrder for 90 days (until its account is claimed or signs out everywhere) */
            accessToken: string;
        };
        GuestOrderAccess: {
            /** Format: uuid */
            orderId: string;
            /** @description opens this order's page with getGuestOrder for 90 days (until its account is claimed or signs out everywhere) */
            accessToken: string;
        };
        GuestOrderRequest: {
            items: components["schemas"]["LineItem"][];
            shippingAddress: components["schemas"]["Address"];
            paymentMethod: components["schemas"]["PaymentMethod"];
            /**
             * Format: uuid
             * @description one of quoteCheckout shippingMethods; omitted: the cheapest that serves the address
             */
            shippingMethodId?: string;
            discountCode?: string;
            /** @description the quote's total the shopper saw: 409 price_changed when it differs; required (422 confirmation_required) when shipping, tax or a discount make the total differ from the items' prices */
            expectedTotal?: number;
            /**
             * Format: email
             * @description where the confirmation and its link to the order go
             */
            email: string;
            /** @description the shopper's name */
            name: string;
        };
        GuestOrderView: {
            order: components["schemas"]["Order"];
            timeline: {
                /** Format: date-time */
                at: string;
                /** @enum {string} */
                type: "status" | "modification" | "payment" | "refund" | "note";
                status: string | null;
                /** @enum {string} */
                actor: "customer" | "admin" | "system";
                summary: string;
            }[];
        };
        LineItem: {
            /**
             * Format: uuid
             * @description a product without options; a product with options is bought by naming its variant
             */
            productId?: string;
            /**
             * Format: uuid
             * @description the variant bought; takes precedence over productId
             */
            variantId?: string;
            quantity: number;
            /** @description the unit price the customer saw; refused with 409 if not current */
            price: number;
        };
        ModificationQuote: {
            /** @description the lines after the change; units already bought keep their price, added units are at the current price, so a product can be on two lines */
            items: {
                productId: string;
                variantId: string;
                name: string;
                /** @description the options picked, "M / Blue"; empty for a product without options */
                variantTitle: string;
                sku: string;
                quantity: number;
                /** @description the unit price */
                price: number;
                /** @description the line's share of the order's discount */
                discount: number;
                /** @description included in the price when the order was priced tax-inclusive */
                tax: number;
                /** @description what the line costs after discount, with tax */
                total: number;
            }[];
            changes: {
                productId: string;
                variantId: string;
                name: string;
                from: number;
                to: number;
            }[];
            previousTotal: number;
            total: number;
            currency: string;
            /** @description charged on confirmation when more than 0 */
            amountDue: number;
            /** @description refunded to the card when more than 0 */
            amountRefunded: number;
        };
        Notification: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            channel: "email" | "sms";
            recipient: string;
            /** @description null for an SMS */
            subject: string | null;
            template: string;
            /** @enum {string} */
            status: "pending" | "sent" | "failed";
            /** @description attempts since the message was created or resent */
            attempts: number;
            /** @description why the last attempt failed */
            lastError: string | null;
            /** Format: uuid */
            orderId: string | null;
            /** @description log, smtp, sendgrid, twilio */
            provider: string | null;
            providerMessageId: string | null;
            /**
             * Format: date-time
             * @description when a pending message is tried next
             */
            nextAttemptAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            sentAt: string | null;
            /** @description the rendered HTML part; null for an SMS */
            html: string | null;
            /** @description the plain-text part, or the SMS body */
            text: string;
        };
        NotificationSummary: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            channel: "email" | "sms";
            recipient: string;
            /** @description null for an SMS */
            subject: string | null;
            template: string;
            /** @enum {string} */
            status: "pending" | "sent" | "failed";
            /** @description attempts since the message was created or resent */
            attempts: number;
            /** @description why the last attempt failed */
            lastError: string | null;
            /** Format: uuid */
            orderId: string | null;
            /** @description log, smtp, sendgrid, twilio */
            provider: string | null;
            providerMessageId: string | null;
            /**
             * Format: date-time
             * @description when a pending message is tried next
             */
            nextAttemptAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            sentAt: string | null;
        };
        OfflinePaymentRequest: {
            /** @description what the customer paid: must be the order's total */
            amount: number;
            /** @enum {string} */
            method: "cash" | "bank_transfer" | "card_terminal" | "other";
            /** @description for the order's history: a receipt or transfer reference */
            note?: string;
        };
        Order: {
            /** Format: uuid */
            id: string;
            /** @description the number people quote, shown as #1001 */
            orderNumber: number;
            customerId: string;
            /**
             * @description as API 1.0 knew it: an order part of which has shipped (partially_shipped, partially_delivered) reads as shipped; detailedStatus tells them apart
             * @enum {string}
             */
            status: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
            /**
             * @description the status with the partial steps of fulfilment: confirmed → partially_shipped → shipped → partially_delivered → delivered, as the shipments say (docs/fulfilment.md)
             * @enum {string}
             */
            detailedStatus: "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
            items: {
                productId: string;
                variantId: string;
                name: string;
                /** @description the options picked, "M / Blue"; empty for a product without options */
                variantTitle: string;
                sku: string;
                quantity: number;
                /** @description the unit price */
                price: number;
                /** @description the line's share of the order's discount */
                discount: number;
                /** @description included in the price when the order was priced tax-inclusive */
                tax: number;
                /** @description what the line costs after discount, with tax */
                total: number;
                /**
                 * Format: uuid
                 * @description the line, as a shipment names it
                 */
                id: string;
            }[];
            /** @description the items at their prices, before discount */
            subtotal: number;
            /** @description taken off the items (a free-shipping code shows on shipping) */
            discountTotal: number;
            /** @description shipping after its discount, before its tax (which taxTotal counts): subtotal − discountTotal + shippingTotal + taxTotal = total, or without taxTotal when prices include tax */
            shippingTotal: number;
            taxTotal: number;
            /** @description prices include tax: the tax is part of them, not added */
            pricesIncludeTax: boolean;
            taxLines: {
                name: string;
                /** @description a percentage: 8.25 is 8.25 % */
                rate: number;
                base: number;
                amount: number;
            }[];
            shipping: {
                methodId: string | null;
                name: string;
                price: number;
                discount: number;
                tax: number;
                total: number;
            } | null;
            discount: {
                code: string;
                amount: number;
            } | null;
            total: number;
            currency: string;
            shippingAddress: components["schemas"]["ShippingAddress"];
            /** @description who placed the order: shown to admins only */
            customer?: {
                name: string;
                email: string;
            };
            payment: {
                /** @enum {string} */
                status: "pending" | "requires_action" | "paid" | "failed" | "partially_refunded" | "refunded";
                amountPaid: number;
                amountRefunded: number;
                /** @description present while 3-D Secure must be completed */
                clientSecret?: string;
            };
            trackingNumber: string | null;
            carrier: string | null;
            cancellationReason: string | null;
            /** @description why the order was cancelled, in words for the shopper; null unless cancelled */
            cancellationMessage: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            actions: {
                confirm: {
                    allowed: boolean;
                    reason: string | null;
                };
                modify: {
                    allowed: boolean;
                    reason: string | null;
                };
                cancel: {
                    allowed: boolean;
                    reason: string | null;
                };
                ship: {
                    allowed: boolean;
                    reason: string | null;
                };
                deliver: {
                    allowed: boolean;
                    reason: string | null;
                };
                refund: {
                    allowed: boolean;
                    reason: string | null;
                };
                editDraft: {
                    allowed: boolean;
                    reason: string | null;
                };
                deleteDraft: {
                    allowed: boolean;
                    reason: string | null;
                };
                recordOfflinePayment: {
                    allowed: boolean;
                    reason: string | null;
                };
                sendPaymentLink: {
                    allowed: boolean;
                    reason: string | null;
                };
            };
        };
        OrderDocuments: {
            invoice: {
                /** Format: uuid */
                id: string;
                /** @example INV-2026-000001 */
                number: string;
                /** Format: date-time */
                issuedAt: string;
                /** @description the invoice's total, or the amount a credit note credits */
                amount: number;
                currency: string;
            } | null;
            creditNotes: {
                /** Format: uuid */
                id: string;
                /** @example INV-2026-000001 */
                number: string;
                /** Format: date-time */
                issuedAt: string;
                /** @description the invoice's total, or the amount a credit note credits */
                amount: number;
                currency: string;
            }[];
        };
        PayableOrder: {
            order: {
                /** Format: uuid */
                id: string;
                /** @description the number people quote, shown as #1001 */
                orderNumber: number;
                /**
                 * @description as API 1.0 knew it: an order part of which has shipped (partially_shipped, partially_delivered) reads as shipped; detailedStatus tells them apart
                 * @enum {string}
                 */
                status: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
                items: {
                    productId: string;
                    variantId: string;
                    name: string;
                    /** @description the options picked, "M / Blue"; empty for a product without options */
                    variantTitle: string;
                    sku: string;
                    quantity: number;
                    /** @description the unit price */
                    price: number;
                    /** @description the line's share of the order's discount */
                    discount: number;
                    /** @description included in the price when the order was priced tax-inclusive */
                    tax: number;
                    /** @description what the line costs after discount, with tax */
                    total: number;
                    /**
                     * Format: uuid
                     * @description the line, as a shipment names it
                     */
                    id: string;
                }[];
                total: number;
                currency: string;
                shippingAddress: components["schemas"]["ShippingAddress"];
                payment: {
                    /** @enum {string} */
                    status: "pending" | "requires_action" | "paid" | "failed" | "partially_refunded" | "refunded";
                    amountPaid: number;
                    amountRefunded: number;
                    /** @description present while 3-D Secure must be completed */
                    clientSecret?: string;
                };
                /** Format: date-time */
                createdAt: string;
            };
            /** @description whether the link can be paid with now */
            payable: boolean;
            /** Format: date-time */
            linkExpiresAt: string | null;
        };
        PaymentMethod: {
            /** @enum {string} */
            type: "card" | "paypal";
            token: string;
        };
        Product: {
            /** Format: uuid */
            id: string;
            sku: string;
            name: string;
            description: string;
            /** @description decimal amount in the currency; the lowest variant price */
            price: number;
            currency: string;
            /** @description the first image's url, or null */
            imageUrl: string | null;
            /** @description in the order the shop shows them */
            images: components["schemas"]["ProductImage"][];
            /** Format: uuid */
            categoryId: string | null;
            /** @description on hand minus reserved, over the variants on sale */
            available: number;
            lowStock: boolean;
            active: boolean;
            options: {
                name: string;
                values: string[];
            }[];
            /** @description one for a product without options */
            variants: components["schemas"]["Variant"][];
        };
        ProductImage: {
            url: string;
            alt: string;
        };
        Return: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            orderId: string;
            orderNumber: number;
            /** @description the return within its order: 1, 2, … */
            number: number;
            /** @enum {string} */
            status: "requested" | "approved" | "rejected" | "received" | "refunded" | "closed" | "cancelled";
            /** @enum {string} */
            reason: "wrong_size" | "damaged" | "not_as_described" | "changed_mind" | "other";
            note: string | null;
            rejectionReason: string | null;
            /**
             * @description once cancelled: withdrawn by the shopper (`customer`), or cancelled by the shop (`admin`)
             * @enum {string|null}
             */
            cancelledBy: "customer" | "admin" | null;
            /** @description the shop’s reason for cancelling, as the customer is told; null without one */
            cancellationReason: string | null;
            lines: {
                lineId: string;
                variantId: string;
                name: string;
                variantTitle: string;
                sku: string;
                quantity: number;
                /**
                 * @description what was done with the items once received; absent before
                 * @enum {string}
                 */
                disposition?: "restock" | "write_off";
                /** @description where a restocked line went back on the shelf */
                locationId: string | null;
                /** @description what the refund gave back for this line */
                refund: number | null;
                /** @description an exchange: the variant sent instead of a refund, at its price when asked for */
                replacement: {
                    variantId: string;
                    name: string;
                    variantTitle: string;
                    sku: string;
                    unitPrice: number;
                } | null;
                /** @description an exchanged line’s price difference: above 0 the shopper paid it when asking, below 0 the refund gives it back */
                difference: number | null;
            }[];
            currency: string;
            /** @description what was refunded, once the return is refunded */
            refund: number | null;
            /** @description the part of the refund that was the order’s shipping */
            shippingRefund: number;
            /** @description while received: what a refund gives back now (confirm it as `expectedAmount`), shipping included when the policy refunds it, and what a cheaper exchange leaves over */
            refundDue: {
                amount: number;
                shipping: number;
                exchange: number;
            } | null;
            /**
             * @description an exchange sends replacements for some lines
             * @enum {string}
             */
            kind: "return" | "exchange";
            /** @description what a dearer exchange charged when it was asked for */
            exchangeCharge: number;
            /** @description the parcel an exchange’s replacements left in */
            replacementShipment: {
                location: {
                    id: string;
                    name: string;
                };
                carrier: string;
                trackingNumber: string;
                trackingUrl: string | null;
                /** Format: date-time */
                shippedAt: string;
            } | null;
            actions: {
                approve: {
                    allowed: boolean;
                    reason: string | null;
                };
                reject: {
                    allowed: boolean;
                    reason: string | null;
                };
                receive: {
                    allowed: boolean;
                    reason: string | null;
                };
                refund: {
                    allowed: boolean;
                    reason: string | null;
                };
                close: {
                    allowed: boolean;
                    reason: string | null;
                };
                /** @description cancelReturn by the shop, or withdrawReturn by the shopper: while the items have not come back */
                cancel: {
                    allowed: boolean;
                    reason: string | null;
                };
                shipReplacement: {
                    allowed: boolean;
                    reason: string | null;
                };
            };
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        ReturnPolicy: {
            /** @description days after an item’s delivery it may be returned */
            windowDays: number;
            /** @description whether a return also refunds the order’s shipping (once) */
            refundShipping: boolean;
            reasons: ("wrong_size" | "damaged" | "not_as_described" | "changed_mind" | "other")[];
        };
        ReturnQuote: {
            lines: {
                lineId: string;
                quantity: number;
                /** @description another variant of the product, on sale, that the units may be exchanged for */
                replacement: {
                    variantId: string;
                    name: string;
                    title: string;
                    sku: string;
                    unitPrice: number;
                    /** @description units in stock now */
                    available: number;
                } | null;
                difference: number | null;
            }[];
            /** @description charged when the return is asked for (a dearer exchange): confirm it as `confirmedAmount` */
            charge: number;
            /** @description what a cheaper exchange gives back with the refund */
            exchangeRefund: number;
            currency: string;
        };
        SavedAddress: {
            /** Format: uuid */
            id: string;
            label: string | null;
            recipient: string | null;
            phone: string | null;
            street: string;
            city: string;
            state: string;
            zip: string;
            country: string | null;
        };
        SavedAddressFields: {
            /** @description how the shopper names it: Home, Work */
            label?: string | null;
            /** @description who receives parcels there */
            recipient?: string | null;
            /** @description digits, spaces, (), - and an optional leading + */
            phone?: string | null;
            street: string;
            city: string;
            state: string;
            zip: string;
            country?: string | null;
        };
        Session: {
            token: string;
            user: components["schemas"]["Account"];
        };
        Shipment: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            orderId: string;
            /** @description 1, 2, … within the order */
            number: number;
            /** @enum {string} */
            status: "shipped" | "delivered";
            carrier: string;
            trackingNumber: string;
            trackingUrl: string | null;
            /** @description the stock location it left from */
            location: {
                /** Format: uuid */
                id: string;
                name: string;
            };
            /** Format: date-time */
            shippedAt: string;
            /** Format: date-time */
            deliveredAt: string | null;
            lines: {
                /**
                 * Format: uuid
                 * @description the order line's id (Order.items[].id)
                 */
                lineId: string;
                /** Format: uuid */
                variantId: string;
                sku: string;
                name: string;
                variantTitle: string;
                quantity: number;
            }[];
        };
        ShippingAddress: {
            name: string;
            phone: string | null;
            street: string;
            city: string;
            /** @description empty where the country has none */
            state: string;
            zip: string;
            country: string;
        };
        ShippingMethod: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            zoneId: string;
            name: string;
            rate: components["schemas"]["ShippingRate"];
            currency: string;
            active: boolean;
            position: number;
        };
        ShippingRate: {
            /** @enum {string} */
            kind: "flat";
            price: number;
        } | {
            /** @enum {string} */
            kind: "free_above";
            price: number;
            freeAbove: number;
        } | {
            /** @enum {string} */
            kind: "weight_bands";
            bands: {
                upToGrams: number;
                price: number;
            }[];
        };
        ShippingZone: {
            /** Format: uuid */
            id: string;
            name: string;
            areas: {
                country: string;
                region: string | null;
            }[];
            methods: components["schemas"]["ShippingMethod"][];
            /** Format: date-time */
            createdAt: string;
        };
        ShopDetails: {
            /** @description the name the shop trades under by law */
            legalName: string;
            /** @description the postal address as printed, one line per line (\n) */
            address: string;
            /** @description VAT number, EIN, GST number; printed on every invoice */
            taxId: string;
            /** @description company registration number */
            registrationNumber: string;
            /** @description printed on invoices for questions about them; empty: none */
            contactEmail: string | "";
            /** @description the last words on every invoice: payment terms, bank details */
            invoiceFooter: string;
            /** @description attach the invoice PDF to the customer's order confirmation e-mail */
            attachInvoiceToConfirmation: boolean;
        };
        ShopDetailsInput: {
            /** @description the name the shop trades under by law */
            legalName: string;
            /** @description the postal address as printed, one line per line (\n) */
            address: string;
            /** @description VAT number, EIN, GST number; printed on every invoice */
            taxId: string;
            /** @description company registration number */
            registrationNumber: string;
            /** @description printed on invoices for questions about them; empty: none */
            contactEmail: string | "";
            /** @description the last words on every invoice: payment terms, bank details */
            invoiceFooter: string;
            /** @description attach the invoice PDF to the customer's order confirmation e-mail */
            attachInvoiceToConfirmation: boolean;
        };
        StaffMember: {
            /** Format: uuid */
            id: string;
            email: string;
            name: string;
            role: components["schemas"]["StaffRole"];
            /**
             * @description invited: has not chosen a password from the invitation yet
             * @enum {string}
             */
            status: "invited" | "active" | "deactivated";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            deactivatedAt: string | null;
        };
        /**
         * @description owner: everything, including staff, settings and the catalog; staff: orders, returns, stock, refunds, e-mails; support: reading orders and customers, e-mails, refunds up to the shop’s limit
         * @enum {string}
         */
        StaffRole: "owner" | "staff" | "support";
        /**
         * @description owner: everything, including staff, settings and the catalog; staff: orders, returns, stock, refunds, e-mails; support: reading orders and customers, e-mails, refunds up to the shop’s limit
         * @enum {string}
         */
        StaffRoleInput: "owner" | "staff" | "support";
        StockLevel: {
            /** Format: uuid */
            productId: string;
            /** Format: uuid */
            variantId: string;
            onHand: number;
            reserved: number;
            available: number;
            lowStock: boolean;
            /**
             * Format: uuid
             * @description the location adjusted; absent in totals
             */
            locationId?: string;
        };
        StockLocation: {
            /** Format: uuid */
            id: string;
            name: string;
            code: string;
            /** @description 1 is tried first when placing an order */
            priority: number;
            active: boolean;
        };
        StockTransfer: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            fromLocationId: string;
            /** Format: uuid */
            toLocationId: string;
            note: string | null;
            /** Format: date-time */
            createdAt: string;
            items: {
                /** Format: uuid */
                variantId: string;
                quantity: number;
                sku: string;
                name: string;
            }[];
        };
        TaxRate: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            zoneId: string;
            category: string | null;
            name: string;
            rateBasisPoints: number;
        };
        UpdateDraftOrderRequest: {
            /** @description the full list of lines: one per variant */
            items?: components["schemas"]["DraftLine"][];
            shippingAddress?: components["schemas"]["Address"];
        };
        Variant: {
            /** Format: uuid */
            id: string;
            sku: string;
            /** @description option name → value; {} for a default variant */
            options: {
                [key: string]: string;
            };
            /** @description the values in the options' order, "M / Blue" */
            title: string;
            price: number;
            weightGrams: number;
            taxCategory: string | null;
            available: number;
            lowStock: boolean;
            active: boolean;
        };
        WebhookAttempt: {
            attempt: number;
            /** Format: date-time */
            startedAt: string;
            durationMs: number;
            /**
             * @description refused: the address policy stopped it before connecting
             * @enum {string}
             */
            outcome: "delivered" | "http_error" | "timeout" | "network_error" | "refused";
            statusCode: number | null;
            error: string | null;
            /** @description the start of the receiver’s answer (1,024 characters) */
            responseBody: string | null;
        };
        WebhookDelivery: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            endpointId: string;
            /**
             * Format: uuid
             * @description the event’s id, the same in a replay: receivers de-duplicate by it
             */
            eventId: string;
            /** @description a domain event type, or WebhookTest */
            eventType: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /**
             * Format: date-time
             * @description when a pending delivery is tried next
             */
            nextAttemptAt: string | null;
            /**
             * Format: uuid
             * @description the delivery this one replays
             */
            replayOf: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            deliveredAt: string | null;
        };
        WebhookDeliveryDetail: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            endpointId: string;
            /**
             * Format: uuid
             * @description the event’s id, the same in a replay: receivers de-duplicate by it
             */
            eventId: string;
            /** @description a domain event type, or WebhookTest */
            eventType: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /**
             * Format: date-time
             * @description when a pending delivery is tried next
             */
            nextAttemptAt: string | null;
            /**
             * Format: uuid
             * @description the delivery this one replays
             */
            replayOf: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            deliveredAt: string | null;
            /** @description the JSON body each attempt POSTs */
            body: {
                /** Format: uuid */
                id: string;
                type: string;
                /** Format: date-time */
                createdAt: string;
                data: {
                    [key: string]: unknown;
                };
            };
            attemptLog: components["schemas"]["WebhookAttempt"][];
        };
        WebhookEndpoint: {
            /** Format: uuid */
            id: string;
            url: string;
            description: string;
            eventTypes: ("OrderPlaced" | "OrderConfirmed" | "OrderModified" | "OrderCancelled" | "OrderShipped" | "OrderDelivered" | "PaymentProcessed" | "PaymentFailed" | "RefundIssued" | "RefundFailed" | "StockReserved" | "StockReleased" | "StockReplenished" | "StockAdjusted" | "StockCommitted" | "StockShipped" | "StockTransferred" | "EmailSent" | "SMSSent" | "ReturnRequested" | "ReturnApproved" | "ReturnRejected" | "ReturnReceived" | "ReturnRefunded" | "ReturnClosed" | "ReturnCancelled" | "ExchangeShipped")[];
            /** @description a disabled endpoint gets no new deliveries; its waiting ones wait */
            enabled: boolean;
            pendingDeliveries: number;
            failedDeliveries: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        WebhookSecret: {
            /**
             * @description the signing secret (whsec_…); verify each request’s Orderly-Signature with it
             * @example whsec_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz
             */
            secret: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                    name: string;
                    /** @description digits, spaces, (), - and an optional leading + */
                    phone?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Accepted"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    requestPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Accepted"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    claimAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    password: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @description digits, spaces, (), - and an optional leading + */
                    phone?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAddresses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SavedAddress"][];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createAddress: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SavedAddressFields"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedAddress"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateAddress: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SavedAddressFields"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedAddress"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAddress: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProducts: {
        parameters: {
            query?: {
                search?: string;
                /** @description a category's id or slug; its sub-categories' products are included */
                category?: string;
                /** @description price sorts use the lowest variant price; a cursor belongs to its sort */
                sort?: "name" | "price_asc" | "price_desc" | "newest";
                /** @description admins: which products; others always see the active ones only */
                status?: "all" | "active" | "archived";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Product"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no category with this id or slug */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createProduct: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the style number; a product without options is sold under it */
                    sku: string;
                    name: string;
                    /** @default  */
                    description?: string;
                    /** @description the price of a product without options; ignored with variants */
                    price: number;
                    currency?: string;
                    /**
                     * Format: uri
                     * @description a single image; or give images
                     */
                    imageUrl?: string | null;
                    /** @description the images in order; the first is the one lists show */
                    images?: {
                        /** @description an http(s) URL, or a path on this site such as /uploads/… */
                        url: string;
                        /** @default  */
                        alt?: string;
                    }[];
                    /** Format: uuid */
                    categoryId?: string | null;
                    /** @default 0 */
                    initialStock?: number;
                    lowStockThreshold?: number;
                    weightGrams?: number;
                    taxCategory?: string | null;
                    /** @description Size, Colour…; with options, give one variant per combination sold */
                    options?: {
                        name: string;
                        values: string[];
                    }[];
                    variants?: {
                        sku: string;
                        options: {
                            [key: string]: string;
                        };
                        price: number;
                        /** @default 0 */
                        weightGrams?: number;
                        /** @default null */
                        taxCategory?: string | null;
                        /** @default 0 */
                        initialStock?: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    price?: number;
                    /**
                     * Format: uri
                     * @description replaces the first image and keeps the others; with images, must be its first url
                     */
                    imageUrl?: string | null;
                    /** @description replaces every image, in this order */
                    images?: {
                        /** @description an http(s) URL, or a path on this site such as /uploads/… */
                        url: string;
                        /** @default  */
                        alt?: string;
                    }[];
                    /** Format: uuid */
                    categoryId?: string | null;
                    /** @description false archives the product: it is no longer sold */
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addVariant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    sku: string;
                    /** @description one value for each of the product's options */
                    options: {
                        [key: string]: string;
                    };
                    price: number;
                    /** @default 0 */
                    weightGrams?: number;
                    /** @default null */
                    taxCategory?: string | null;
                    /** @default 0 */
                    initialStock?: number;
                    lowStockThreshold?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SKU or combination taken, or a product without options */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateVariant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    price?: number;
                    weightGrams?: number;
                    taxCategory?: string | null;
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCategories: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Category"][];
                    };
                };
            };
        };
    };
    createCategory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @description made from the name when not given */
                    slug?: string;
                    /**
                     * Format: uuid
                     * @default null
                     */
                    parentId?: string | null;
                    /** @default 0 */
                    position?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Category"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteCategory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description it still has products or sub-categories */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateCategory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    slug?: string;
                    /** Format: uuid */
                    parentId?: string | null;
                    position?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Category"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    uploadImage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description where Orderly serves it: /uploads/<name> */
                        url: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    adjustStock: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    operation: "set" | "add";
                    quantity: number;
                    /**
                     * Format: uuid
                     * @description where the stock is; the highest-priority active location when absent
                     */
                    locationId?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StockLevel"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    adjustVariantStock: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    operation: "set" | "add";
                    quantity: number;
                    /**
                     * Format: uuid
                     * @description where the stock is; the highest-priority active location when absent
                     */
                    locationId?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StockLevel"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listInventory: {
        parameters: {
            query?: {
                locationId?: string;
                search?: string;
                lowStock?: "true" | "false";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            productId: string;
                            /** Format: uuid */
                            variantId: string;
                            onHand: number;
                            reserved: number;
                            available: number;
                            lowStock: boolean;
                            /**
                             * Format: uuid
                             * @description the location adjusted; absent in totals
                             */
                            locationId?: string;
                            sku: string;
                            name: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listStockLocations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StockLocation"][];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createStockLocation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    code: string;
                    priority?: number;
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StockLocation"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateStockLocation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    priority?: number;
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StockLocation"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAllocationRule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AllocationRule"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setAllocationRule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description priority: each variant from the first location that has all of it; whole_order: the first location that has the whole order, else as priority
                     * @enum {string}
                     */
                    rule: "priority" | "whole_order";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AllocationRule"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listStockTransfers: {
        parameters: {
            query?: {
                locationId?: string;
                before?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StockTransfer"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    transferStock: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    fromLocationId: string;
                    /** Format: uuid */
                    toLocationId: string;
                    items: {
                        /** Format: uuid */
                        variantId: string;
                        quantity: number;
                    }[];
                    note?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StockTransfer"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOrders: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            /** @description the number people quote, shown as #1001 */
                            orderNumber: number;
                            /**
                             * @description as API 1.0 knew it: an order part of which has shipped (partially_shipped, partially_delivered) reads as shipped; detailedStatus tells them apart
                             * @enum {string}
                             */
                            status: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
                            /**
                             * @description the status with the partial steps of fulfilment: confirmed → partially_shipped → shipped → partially_delivered → delivered, as the shipments say (docs/fulfilment.md)
                             * @enum {string}
                             */
                            detailedStatus: "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
                            total: number;
                            currency: string;
                            itemCount: number;
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body answers with the first result and does nothing twice; the same key with another body is 422 idempotency_key_reused */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "customerId": "0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e11",
                 *       "items": [
                 *         {
                 *           "productId": "0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e22",
                 *           "quantity": 2,
                 *           "price": 29.99
                 *         }
                 *       ],
                 *       "shippingAddress": {
                 *         "street": "123 Main St",
                 *         "city": "San Francisco",
                 *         "state": "CA",
                 *         "zip": "94102"
                 *       },
                 *       "paymentMethod": {
                 *         "type": "card",
                 *         "token": "tok_visa"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["CreateOrderRequest"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0789",
                     *       "orderNumber": 1001,
                     *       "customerId": "0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e11",
                     *       "status": "confirmed",
                     *       "detailedStatus": "confirmed",
                     *       "items": [
                     *         {
                     *           "id": "0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0a01",
                     *           "productId": "0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e22",
                     *           "variantId": "0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e22",
                     *           "name": "Trail Running Shoes",
                     *           "variantTitle": "",
                     *           "sku": "SHOE-TRAIL-01",
                     *           "quantity": 2,
                     *           "price": 29.99,
                     *           "discount": 0,
                     *           "tax": 0,
                     *           "total": 59.98
                     *         }
                     *       ],
                     *       "subtotal": 59.98,
                     *       "discountTotal": 0,
                     *       "shippingTotal": 0,
                     *       "taxTotal": 0,
                     *       "pricesIncludeTax": false,
                     *       "taxLines": [],
                     *       "shipping": null,
                     *       "discount": null,
                     *       "total": 59.98,
                     *       "currency": "USD",
                     *       "shippingAddress": {
                     *         "street": "123 Main St",
                     *         "city": "San Francisco",
                     *         "state": "CA",
                     *         "zip": "94102",
                     *         "name": "Jane Doe",
                     *         "phone": "+1 415 555 0100",
                     *         "country": "US"
                     *       },
                     *       "payment": {
                     *         "status": "paid",
                     *         "amountPaid": 59.98,
                     *         "amountRefunded": 0
                     *       },
                     *       "trackingNumber": null,
                     *       "carrier": null,
                     *       "cancellationReason": null,
                     *       "cancellationMessage": null,
                     *       "createdAt": "2026-02-14T12:00:00.000Z",
                     *       "updatedAt": "2026-02-14T12:00:00.000Z",
                     *       "actions": {
                     *         "confirm": {
                     *           "allowed": false,
                     *           "reason": "Only admin can confirm an order."
                     *         },
                     *         "modify": {
                     *           "allowed": true,
                     *           "reason": null
                     *         },
                     *         "cancel": {
                     *           "allowed": true,
                     *           "reason": null
                     *         },
                     *         "ship": {
                     *           "allowed": false,
                     *           "reason": "Only admin can ship an order."
                     *         },
                     *         "deliver": {
                     *           "allowed": false,
                     *           "reason": "Only admin can deliver an order."
                     *         },
                     *         "refund": {
                     *           "allowed": false,
                     *           "reason": "Only admin can refund an order."
                     *         },
                     *         "editDraft": {
                     *           "allowed": false,
                     *           "reason": "Only admin can edit a draft order."
                     *         },
                     *         "deleteDraft": {
                     *           "allowed": false,
                     *           "reason": "Only admin can delete a draft order."
                     *         },
                     *         "recordOfflinePayment": {
                     *           "allowed": false,
                     *           "reason": "Only admin can record an offline payment."
                     *         },
                     *         "sendPaymentLink": {
                     *           "allowed": false,
                     *           "reason": "Only admin can send a payment link."
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    modifyOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the full new list of lines: one quantity per variant */
                    items?: {
                        /**
                         * Format: uuid
                         * @description a product without options; a product with options is bought by naming its variant
                         */
                        productId?: string;
                        /**
                         * Format: uuid
                         * @description the variant bought; takes precedence over productId
                         */
                        variantId?: string;
                        quantity: number;
                    }[];
                    shippingAddress?: components["schemas"]["Address"];
                    /** @description pays the difference when the total grows */
                    paymentMethod?: components["schemas"]["PaymentMethod"];
                    /** @description the amountDue of quoteOrderModification the shopper agreed to pay (0 when nothing is due); needed when the change costs more, 409 amount_changed when it no longer matches */
                    confirmedAmount?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOrderTimeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            at: string;
                            /** @enum {string} */
                            type: "status" | "modification" | "payment" | "refund" | "note";
                            status: string | null;
                            /** @enum {string} */
                            actor: "customer" | "admin" | "system";
                            /** @description for staff readers: the name of the staff member who did it; otherwise null */
                            actorName: string | null;
                            summary: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quoteOrderModification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the full new list of lines: one quantity per variant */
                    items: {
                        /**
                         * Format: uuid
                         * @description a product without options; a product with options is bought by naming its variant
                         */
                        productId?: string;
                        /**
                         * Format: uuid
                         * @description the variant bought; takes precedence over productId
                         */
                        variantId?: string;
                        quantity: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModificationQuote"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    adminListOrders: {
        parameters: {
            query?: {
                /** @description the detailed status */
                status?: "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
                customerId?: string;
                /** @description created at or after; a date means its start (UTC) */
                from?: string;
                /** @description created before; a date includes that whole day (UTC) */
                to?: string;
                /** @description part of the customer's email or name, part of a product's name or SKU, an order number (#1001 or 1001) or the start of an order id */
                q?: string;
                sort?: "createdAt" | "total";
                order?: "asc" | "desc";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            /** @description the number people quote, shown as #1001 */
                            orderNumber: number;
                            /** Format: uuid */
                            customerId: string;
                            customerEmail: string;
                            /**
                             * @description as API 1.0 knew it: an order part of which has shipped (partially_shipped, partially_delivered) reads as shipped; detailedStatus tells them apart
                             * @enum {string}
                             */
                            status: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
                            /**
                             * @description the status with the partial steps of fulfilment: confirmed → partially_shipped → shipped → partially_delivered → delivered, as the shipments say (docs/fulfilment.md)
                             * @enum {string}
                             */
                            detailedStatus: "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
                            total: number;
                            currency: string;
                            /** @enum {string} */
                            paymentStatus: "pending" | "requires_action" | "paid" | "failed" | "partially_refunded" | "refunded";
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportOrdersCsv: {
        parameters: {
            query?: {
                /** @description the detailed status */
                status?: "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
                customerId?: string;
                /** @description created at or after; a date means its start (UTC) */
                from?: string;
                /** @description created before; a date includes that whole day (UTC) */
                to?: string;
                /** @description part of the customer's email or name, part of a product's name or SKU, an order number (#1001 or 1001) or the start of an order id */
                q?: string;
                sort?: "createdAt" | "total";
                order?: "asc" | "desc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the CSV file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportOrderLinesCsv: {
        parameters: {
            query?: {
                /** @description the detailed status */
                status?: "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
                customerId?: string;
                /** @description created at or after; a date means its start (UTC) */
                from?: string;
                /** @description created before; a date includes that whole day (UTC) */
                to?: string;
                /** @description part of the customer's email or name, part of a product's name or SKU, an order number (#1001 or 1001) or the start of an order id */
                q?: string;
                sort?: "createdAt" | "total";
                order?: "asc" | "desc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the CSV file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    confirmOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description accepted and not used: this action cannot happen twice, so a repeat changes nothing and is answered 409 invalid_transition */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    adminCancelOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description accepted and not used: this action cannot happen twice, so a repeat changes nothing and is answered 409 invalid_transition */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    refundOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body answers with the first result and does nothing twice; the same key with another body is 422 idempotency_key_reused */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: number;
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        currency: string;
                        today: {
                            orders: number;
                            revenue: number;
                        };
                        week: {
                            orders: number;
                            revenue: number;
                        };
                        successRate: number;
                        perDay: {
                            date: string;
                            orders: number;
                            revenue: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addCartItem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uuid
                     * @description a product without options; a product with options is bought by naming its variant
                     */
                    productId?: string;
                    /**
                     * Format: uuid
                     * @description the variant bought; takes precedence over productId
                     */
                    variantId?: string;
                    quantity: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateCartItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the cart line's variantId */
                productId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    quantity: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    removeCartItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the cart line's variantId */
                productId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    checkoutCart: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body answers with the first result and does nothing twice; the same key with another body is 422 idempotency_key_reused */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    shippingAddress: components["schemas"]["Address"];
                    paymentMethod: components["schemas"]["PaymentMethod"];
                    /**
                     * Format: uuid
                     * @description one of quoteCheckout shippingMethods; omitted: the cheapest that serves the address
                     */
                    shippingMethodId?: string;
                    discountCode?: string;
                    /** @description the quote's total the shopper saw: 409 price_changed when it differs; required (422 confirmation_required) when shipping, tax or a discount make the total differ from the items' prices */
                    expectedTotal?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quoteCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the items to price; omitted: the signed-in customer's cart */
                    items?: {
                        /**
                         * Format: uuid
                         * @description a product without options; a product with options is bought by naming its variant
                         */
                        productId?: string;
                        /**
                         * Format: uuid
                         * @description the variant bought; takes precedence over productId
                         */
                        variantId?: string;
                        quantity: number;
                    }[];
                    shippingAddress: components["schemas"]["Address"];
                    /**
                     * Format: uuid
                     * @description one of quoteCheckout shippingMethods; omitted: the cheapest that serves the address
                     */
                    shippingMethodId?: string;
                    discountCode?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckoutQuote"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCustomers: {
        parameters: {
            query?: {
                /** @description part of the name or email, any case */
                search?: string;
                /** @description newest last order, or biggest total spent, first */
                sort?: "lastOrder" | "totalSpent";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CustomerSummary"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    placeGuestOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body answers with the first result and does nothing twice; the same key with another body is 422 idempotency_key_reused */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GuestOrderRequest"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestOrder"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getGuestOrder: {
        parameters: {
            query: {
                token: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestOrderView"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    lookupGuestOrder: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the number people quote, shown as #1001 */
                    number: number;
                    /** Format: email */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GuestOrderAccess"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createShipment: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body answers with the first result and does nothing twice; the same key with another body is 422 idempotency_key_reused */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateShipmentRequest"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        shipment: components["schemas"]["Shipment"];
                        order: components["schemas"]["Order"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deliverShipment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                shipmentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        shipment: components["schemas"]["Shipment"];
                        order: components["schemas"]["Order"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOrderShipments: {
        parameters: {
            query?: {
                /** @description a guest order link's token */
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Shipment"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    shipOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description accepted and not used: this action cannot happen twice, so a repeat changes nothing and is answered 409 invalid_transition */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    trackingNumber: string;
                    carrier: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deliverOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description accepted and not used: this action cannot happen twice, so a repeat changes nothing and is answered 409 invalid_transition */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDraftOrders: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            /** @description the number people quote, shown as #1001 */
                            orderNumber: number;
                            /** Format: uuid */
                            customerId: string;
                            customerEmail: string;
                            /** @enum {string} */
                            status: "draft" | "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
                            /** @enum {string} */
                            detailedStatus: "draft" | "pending" | "confirmed" | "partially_shipped" | "shipped" | "partially_delivered" | "delivered" | "cancelled";
                            total: number;
                            currency: string;
                            /** @enum {string} */
                            paymentStatus: "pending" | "requires_action" | "paid" | "failed" | "partially_refunded" | "refunded";
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createDraftOrder: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDraftOrderRequest"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DraftOrder"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDraftOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DraftOrder"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteDraftOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateDraftOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDraftOrderRequest"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DraftOrder"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordOfflinePayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OfflinePaymentRequest"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DraftOrder"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    sendPaymentLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DraftOrder"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPayableOrder: {
        parameters: {
            query: {
                /** @description the token of the emailed payment link */
                token: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayableOrder"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    payOrderByLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the token of the emailed payment link */
                    token: string;
                    paymentMethod: components["schemas"]["PaymentMethod"];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        order: {
                            /** Format: uuid */
                            id: string;
                            /** @description the number people quote, shown as #1001 */
                            orderNumber: number;
                            /**
                             * @description as API 1.0 knew it: an order part of which has shipped (partially_shipped, partially_delivered) reads as shipped; detailedStatus tells them apart
                             * @enum {string}
                             */
                            status: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";
                            items: {
                                productId: string;
                                variantId: string;
                                name: string;
                                /** @description the options picked, "M / Blue"; empty for a product without options */
                                variantTitle: string;
                                sku: string;
                                quantity: number;
                                /** @description the unit price */
                                price: number;
                                /** @description the line's share of the order's discount */
                                discount: number;
                                /** @description included in the price when the order was priced tax-inclusive */
                                tax: number;
                                /** @description what the line costs after discount, with tax */
                                total: number;
                                /**
                                 * Format: uuid
                                 * @description the line, as a shipment names it
                                 */
                                id: string;
                            }[];
                            total: number;
                            currency: string;
                            shippingAddress: components["schemas"]["ShippingAddress"];
                            payment: {
                                /** @enum {string} */
                                status: "pending" | "requires_action" | "paid" | "failed" | "partially_refunded" | "refunded";
                                amountPaid: number;
                                amountRefunded: number;
                                /** @description present while 3-D Secure must be completed */
                                clientSecret?: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                        };
                        /** @description whether the link can be paid with now */
                        payable: boolean;
                        /** Format: date-time */
                        linkExpiresAt: string | null;
                        /** @description set while the customer must still authenticate the payment */
                        clientSecret: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listNotifications: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                status?: "pending" | "sent" | "failed";
                /** @description part of the email address or phone number, case-insensitive */
                recipient?: string;
                orderId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["NotificationSummary"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resendNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listShippingZones: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ShippingZone"][];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createShippingZone: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    areas: {
                        country: string;
                        /**
                         * @description a region of the country, written as addresses give it in `state` (CA); null: the whole country
                         * @default null
                         */
                        region?: string | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShippingZone"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteShippingZone: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateShippingZone: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    areas?: {
                        country: string;
                        /**
                         * @description a region of the country, written as addresses give it in `state` (CA); null: the whole country
                         * @default null
                         */
                        region?: string | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShippingZone"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createShippingMethod: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    rate: {
                        /** @enum {string} */
                        kind: "flat";
                        price: number;
                    } | {
                        /** @enum {string} */
                        kind: "free_above";
                        price: number;
                        /** @description free when the items subtotal is at least this */
                        freeAbove: number;
                    } | {
                        /** @enum {string} */
                        kind: "weight_bands";
                        /** @description the lightest band holding the basket weight prices it; none: not offered */
                        bands: {
                            upToGrams: number;
                            price: number;
                        }[];
                    };
                    /** @default 0 */
                    position?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShippingMethod"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateShippingMethod: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    rate?: {
                        /** @enum {string} */
                        kind: "flat";
                        price: number;
                    } | {
                        /** @enum {string} */
                        kind: "free_above";
                        price: number;
                        /** @description free when the items subtotal is at least this */
                        freeAbove: number;
                    } | {
                        /** @enum {string} */
                        kind: "weight_bands";
                        /** @description the lightest band holding the basket weight prices it; none: not offered */
                        bands: {
                            upToGrams: number;
                            price: number;
                        }[];
                    };
                    position?: number;
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShippingMethod"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deactivateShippingMethod: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShippingMethod"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTaxRates: {
        parameters: {
            query?: {
                zoneId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TaxRate"][];
                        /** @description the shop setting PRICES_INCLUDE_TAX */
                        pricesIncludeTax: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTaxRate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    zoneId: string;
                    /**
                     * @description the tax category of the products it applies to (`reduced`); null: the zone's standard rate
                     * @default null
                     */
                    category?: string | null;
                    /** @description shown on receipts: VAT, Sales tax */
                    name: string;
                    /** @description 825 = 8.25 % */
                    rateBasisPoints: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaxRate"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTaxRate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateTaxRate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the tax category of the products it applies to (`reduced`); null: the zone's standard rate */
                    category?: string | null;
                    /** @description shown on receipts: VAT, Sales tax */
                    name?: string;
                    /** @description 825 = 8.25 % */
                    rateBasisPoints?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaxRate"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDiscountCodes: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DiscountCode"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createDiscountCode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description 3 to 32 letters, digits, "-" or "_" */
                    code: string;
                    /** @enum {string} */
                    kind: "percentage" | "fixed" | "free_shipping";
                    /** @description percent off the subtotal: 10 is 10 %, 12.5 is 12.5 % */
                    percentage?: number;
                    /** @description for a fixed code: decimal amount off */
                    amount?: number;
                    currency?: string;
                    /**
                     * @description null or 0 for none
                     * @default null
                     */
                    minimumSubtotal?: number | null;
                    /**
                     * Format: date-time
                     * @default null
                     */
                    startsAt?: string | null;
                    /**
                     * Format: date-time
                     * @default null
                     */
                    endsAt?: string | null;
                    /** @default null */
                    usageLimit?: number | null;
                    /** @default null */
                    perCustomerLimit?: number | null;
                    /** @default true */
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscountCode"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDiscountCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscountCode"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateDiscountCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description percent off the subtotal: 10 is 10 %, 12.5 is 12.5 % */
                    percentage?: number;
                    amount?: number;
                    minimumSubtotal?: number | null;
                    /** Format: date-time */
                    startsAt?: string | null;
                    /** Format: date-time */
                    endsAt?: string | null;
                    usageLimit?: number | null;
                    perCustomerLimit?: number | null;
                    active?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscountCode"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookEventTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            type: "OrderPlaced" | "OrderConfirmed" | "OrderModified" | "OrderCancelled" | "OrderShipped" | "OrderDelivered" | "PaymentProcessed" | "PaymentFailed" | "RefundIssued" | "RefundFailed" | "StockReserved" | "StockReleased" | "StockReplenished" | "StockAdjusted" | "StockCommitted" | "StockShipped" | "StockTransferred" | "EmailSent" | "SMSSent" | "ReturnRequested" | "ReturnApproved" | "ReturnRejected" | "ReturnReceived" | "ReturnRefunded" | "ReturnClosed" | "ReturnCancelled" | "ExchangeShipped";
                            context: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WebhookEndpoint"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description where events are POSTed; https, and in production never an internal address
                     * @example https://hooks.example.com/orderly
                     */
                    url: string;
                    /** @default  */
                    description?: string;
                    /** @description the domain events this endpoint receives */
                    eventTypes: ("OrderPlaced" | "OrderConfirmed" | "OrderModified" | "OrderCancelled" | "OrderShipped" | "OrderDelivered" | "PaymentProcessed" | "PaymentFailed" | "RefundIssued" | "RefundFailed" | "StockReserved" | "StockReleased" | "StockReplenished" | "StockAdjusted" | "StockCommitted" | "StockShipped" | "StockTransferred" | "EmailSent" | "SMSSent" | "ReturnRequested" | "ReturnApproved" | "ReturnRejected" | "ReturnReceived" | "ReturnRefunded" | "ReturnClosed" | "ReturnCancelled" | "ExchangeShipped")[];
                    /** @default true */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookEndpoint"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description where events are POSTed; https, and in production never an internal address
                     * @example https://hooks.example.com/orderly
                     */
                    url?: string;
                    description?: string;
                    /** @description the domain events this endpoint receives */
                    eventTypes?: ("OrderPlaced" | "OrderConfirmed" | "OrderModified" | "OrderCancelled" | "OrderShipped" | "OrderDelivered" | "PaymentProcessed" | "PaymentFailed" | "RefundIssued" | "RefundFailed" | "StockReserved" | "StockReleased" | "StockReplenished" | "StockAdjusted" | "StockCommitted" | "StockShipped" | "StockTransferred" | "EmailSent" | "SMSSent" | "ReturnRequested" | "ReturnApproved" | "ReturnRejected" | "ReturnReceived" | "ReturnRefunded" | "ReturnClosed" | "ReturnCancelled" | "ExchangeShipped")[];
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revealWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    sendWebhookTestEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WebhookDelivery"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryDetail"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getShopDetails: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShopDetails"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateShopDetails: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ShopDetailsInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShopDetails"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOrderDocuments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderDocuments"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadOrderInvoice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the document as PDF, sent as an attachment named after its number */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadCreditNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                creditNoteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the document as PDF, sent as an attachment named after its number */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadPackingSlip: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the document as PDF, sent as an attachment named after its number */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadShipmentPackingSlip: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                shipmentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the document as PDF, sent as an attachment named after its number */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadMyInvoice: {
        parameters: {
            query?: {
                /** @description the order link's token (guests) */
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the document as PDF, sent as an attachment named after its number */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReturnPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReturnPolicy"];
                };
            };
        };
    };
    updateReturnPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    windowDays?: number;
                    refundShipping?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReturnPolicy"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOrderReturns: {
        parameters: {
            query?: {
                /** @description the order link’s token, for a guest without a sign-in (getGuestOrder) */
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Return"][];
                        /** @description what may still be asked for in a new return */
                        returnable: {
                            lineId: string;
                            variantId: string;
                            name: string;
                            variantTitle: string;
                            sku: string;
                            /** @description delivered units in no other return */
                            returnable: number;
                            /**
                             * Format: date-time
                             * @description the end of the return window for this line
                             */
                            until: string;
                            /** @description the other variants of the product its units may be exchanged for */
                            exchangeOptions: {
                                variantId: string;
                                name: string;
                                title: string;
                                sku: string;
                                unitPrice: number;
                                /** @description units in stock now */
                                available: number;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    requestReturn: {
        parameters: {
            query?: {
                /** @description the order link’s token, for a guest without a sign-in (getGuestOrder) */
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    lines: {
                        lineId: string;
                        quantity: number;
                        /**
                         * Format: uuid
                         * @description exchange these units for this variant (one of the line’s exchangeOptions) instead of a refund
                         */
                        replacementVariantId?: string;
                    }[];
                    /** @enum {string} */
                    reason: "wrong_size" | "damaged" | "not_as_described" | "changed_mind" | "other";
                    /** @description pays a dearer exchange (quoteReturn’s `charge` above 0) */
                    paymentMethod?: components["schemas"]["PaymentMethod"];
                    /** @description quoteReturn’s `charge` the shopper agreed to pay; needed when it is above 0, 409 amount_changed when it no longer matches */
                    confirmedAmount?: number;
                    /** @description in the shopper’s words; asked for with `other` */
                    note?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quoteReturn: {
        parameters: {
            query?: {
                /** @description the order link’s token, for a guest without a sign-in (getGuestOrder) */
                token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    lines: {
                        lineId: string;
                        quantity: number;
                        /**
                         * Format: uuid
                         * @description exchange these units for this variant (one of the line’s exchangeOptions) instead of a refund
                         */
                        replacementVariantId?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReturnQuote"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    adminListReturns: {
        parameters: {
            query?: {
                status?: "requested" | "approved" | "rejected" | "received" | "refunded" | "closed" | "cancelled";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Return"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    adminGetReturn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    approveReturn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rejectReturn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    receiveReturn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    lines: {
                        lineId: string;
                        /** @enum {string} */
                        disposition: "restock" | "write_off";
                        /** Format: uuid */
                        locationId?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    refundReturn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expectedAmount: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelReturn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description why, in words the customer reads in their email; `{}` for none */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    withdrawReturn: {
        parameters: {
            query?: {
                /** @description the order link’s token, for a guest without a sign-in (getGuestOrder) */
                token?: string;
            };
            header?: never;
            path: {
                id: string;
                returnId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    shipExchangeReplacement: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    carrier: string;
                    trackingNumber: string;
                    /**
                     * Format: uri
                     * @description the carrier's tracking page; the shopper's e-mail links to it
                     */
                    trackingUrl?: string;
                    /** Format: uuid */
                    locationId?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Return"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listStaff: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StaffMember"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    inviteStaffMember: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    name: string;
                    role: components["schemas"]["StaffRoleInput"];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMember"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changeStaffRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    role: components["schemas"]["StaffRoleInput"];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMember"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deactivateStaffMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMember"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reactivateStaffMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMember"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditLog: {
        parameters: {
            query?: {
                /** @description only what this staff member did */
                actorId?: string;
                /** @description actions starting with this: `order.` or `order.refund` */
                action?: string;
                targetType?: string;
                targetId?: string;
                /** @description at or after; a date means its start (UTC) */
                from?: string;
                /** @description before; a date includes that whole day (UTC) */
                to?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditEntry"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events; the stream stays open */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamMyOrderEvents: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events; the stream stays open */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
