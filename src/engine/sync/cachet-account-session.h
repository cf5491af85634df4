/* cachet-account-session.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-account.h"
#include "cachet-credentials-provider.h"
#include "cachet-imap-session.h"

G_BEGIN_DECLS

void               cachet_account_session_open_async  (CachetAccount              *account,
                                                       CachetCredentialsProvider  *credentials,
                                                       GCancellable               *cancellable,
                                                       GAsyncReadyCallback         callback,
                                                       gpointer                    user_data);
CachetImapSession *cachet_account_session_open_finish (GAsyncResult               *result,
                                                       GError                    **error);

G_END_DECLS
