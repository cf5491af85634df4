/* cachet-account-session.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-account-session.h"

/* Every long-lived use of an account's IMAP server (synchronisation, the
 * inbox watcher) starts the same way: a new session, connected, upgraded to
 * TLS and signed in with the account's credentials. Only a session that got
 * that far is handed over, so callers never hold a half-open one. */

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CachetImapSession *session = CACHET_IMAP_SESSION (source);
  GError *error = NULL;

  if (!cachet_imap_session_connect_finish (session, result, &error))
    {
      cachet_imap_session_close (session);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_object_ref (session), g_object_unref);
}

/**
 * cachet_account_session_open_async:
 * @account: the account
 * @credentials: where its secrets are
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once signed in, or on failure
 * @user_data: data for @callback
 *
 * Opens an IMAP session with the account's server and signs in. The session
 * lives on the calling thread's thread-default main context.
 */
void
cachet_account_session_open_async (CachetAccount             *account,
                                   CachetCredentialsProvider *credentials,
                                   GCancellable              *cancellable,
                                   GAsyncReadyCallback        callback,
                                   gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CachetImapSession) session = NULL;

  g_return_if_fail (CACHET_IS_ACCOUNT (account));
  g_return_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (credentials));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_account_session_open_async);
  session = cachet_imap_session_new (account, credentials);
  cachet_imap_session_connect_async (session, cancellable, connected_cb, g_steal_pointer (&task));
}

/**
 * cachet_account_session_open_finish:
 *
 * Returns: (transfer full) (nullable): a signed-in session, or %NULL with
 *   @error set
 */
CachetImapSession *
cachet_account_session_open_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
