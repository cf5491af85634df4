/* cachet-account-check.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cachet-account-check.h"
#include "cachet-imap-session.h"
#include "cachet-smtp-session.h"

/* Before an account is kept, both of its servers are reached and signed in
 * to, exactly as sync and sending will do, so that a wrong server, security
 * setting, certificate or password is reported while the user is still in
 * the dialog. Nothing is read or sent. */

typedef struct
{
  CachetAccount             *account;
  CachetCredentialsProvider *credentials;
  CachetImapSession         *imap;
  CachetSmtpSession         *smtp;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->account);
  g_clear_object (&check->credentials);
  g_clear_object (&check->imap);
  g_clear_object (&check->smtp);
  g_free (check);
}

/* Says which server the problem is with: the message alone may not. */
static void
return_server_error (GTask      *task,
                     const char *server,
                     GError     *error)
{
  g_task_return_new_error (task, error->domain, error->code, "%s %s", server, error->message);
  g_error_free (error);
}

static void
smtp_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* Signed in is what was to be shown; a failed goodbye changes nothing. */
  cachet_smtp_session_close_finish (CACHET_SMTP_SESSION (source), result, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
smtp_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cachet_smtp_session_connect_finish (CACHET_SMTP_SESSION (source), result, &error))
    {
      return_server_error (task, _("Outgoing mail server (SMTP):"), error);
      return;
    }
  cachet_smtp_session_close_async (CACHET_SMTP_SESSION (source), g_task_get_cancellable (task),
                                   smtp_closed_cb, g_object_ref (task));
}

static void
imap_logged_out_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);

  cachet_imap_session_logout_finish (CACHET_IMAP_SESSION (source), result, NULL);
  check->smtp = cachet_smtp_session_new (check->account, check->credentials);
  cachet_smtp_session_connect_async (check->smtp, g_task_get_cancellable (task),
                                     smtp_connected_cb, g_object_ref (task));
}

static void
imap_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cachet_imap_session_connect_finish (CACHET_IMAP_SESSION (source), result, &error))
    {
      return_server_error (task, _("Incoming mail server (IMAP):"), error);
      return;
    }
  cachet_imap_session_logout_async (CACHET_IMAP_SESSION (source), g_task_get_cancellable (task),
                                    imap_logged_out_cb, g_object_ref (task));
}

/**
 * cachet_account_check_async:
 * @account: an account, not necessarily kept yet
 * @credentials: where its secrets are
 *
 * Connects and signs in to the account's IMAP server, then its SMTP server.
 */
void
cachet_account_check_async (CachetAccount             *account,
                            CachetCredentialsProvider *credentials,
                            GCancellable              *cancellable,
                            GAsyncReadyCallback        callback,
                            gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Check *check = g_new0 (Check, 1);

  g_return_if_fail (CACHET_IS_ACCOUNT (account));
  g_return_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (credentials));

  g_task_set_source_tag (task, cachet_account_check_async);
  check->account = g_object_ref (account);
  check->credentials = g_object_ref (credentials);
  check->imap = cachet_imap_session_new (account, credentials);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  cachet_imap_session_connect_async (check->imap, cancellable, imap_connected_cb, g_steal_pointer (&task));
}

/**
 * cachet_account_check_finish:
 *
 * Returns: %TRUE when both servers accepted the account; otherwise the error
 *   says which server and what to do
 */
gboolean
cachet_account_check_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
