/* cachet-account-sync.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-account.h"
#include "cachet-credentials-provider.h"
#include "cachet-store.h"

G_BEGIN_DECLS

/**
 * CachetSyncReport:
 * @folders: folders synchronised
 * @added: messages downloaded and stored
 * @removed: messages gone from the server and from the index
 * @flags_changed: messages whose flags changed on the server
 * @new_in_inbox: messages that arrived in the inbox since the previous sync
 *   (not counting an inbox's first download), worth telling the user about
 * @replayed: actions taken offline that the server now has
 * @failed_actions: actions taken offline that the server refused; they stay
 *   in the store, failed, for the user to see
 */
typedef struct
{
  guint folders;
  guint added;
  guint removed;
  guint flags_changed;
  guint new_in_inbox;
  guint replayed;
  guint failed_actions;
} CachetSyncReport;

#define CACHET_TYPE_ACCOUNT_SYNC (cachet_account_sync_get_type ())

G_DECLARE_FINAL_TYPE (CachetAccountSync, cachet_account_sync, CACHET, ACCOUNT_SYNC, GObject)

CachetAccountSync *cachet_account_sync_new         (CachetAccount              *account,
                                                    CachetCredentialsProvider  *credentials,
                                                    CachetStore                *store);
void               cachet_account_sync_run_async   (CachetAccountSync          *self,
                                                    GCancellable               *cancellable,
                                                    GAsyncReadyCallback         callback,
                                                    gpointer                    user_data);
gboolean           cachet_account_sync_run_finish  (CachetAccountSync          *self,
                                                    GAsyncResult               *result,
                                                    CachetSyncReport           *report,
                                                    GError                    **error);

G_END_DECLS
