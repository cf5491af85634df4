/* test-action-replay.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-action-replay.h"
#include "cachet-test-credentials.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* Replaying the offline queue against scripted IMAP servers: every command
 * the replay sends is written out, so that sending one twice, or one that
 * should have been dropped, fails the script. */

#define ADDRESS     "alice@example.org"
#define PASSWORD    "secret"
#define UIDVALIDITY 100u

typedef struct
{
  const CachetTestPki   *pki;
  CachetStore           *store;
  CachetAccount         *account;
  CachetTestCredentials *credentials;
} Test;

typedef struct
{
  CachetTestServer  *server;
  CachetImapSession *session;
} Connection;

static gboolean
test_init (Test       *test,
           const char *account_id)
{
  const char *folders[] = { "INBOX", "Archive", "Sent", "Drafts" };
  g_autoptr(GError) error = NULL;

  memset (test, 0, sizeof *test);
  test->pki = cachet_test_pki_get ();
  if (test->pki == NULL)
    return FALSE;

  test->store = cachet_store_new (NULL, account_id, NULL, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      CachetFolderInfo info = { .name = (char *) folders[i], .uidvalidity = UIDVALIDITY };

      g_assert_true (cachet_store_upsert_folder (test->store, &info, &error));
      g_assert_no_error (error);
    }
  test->credentials = cachet_test_credentials_new ();
  return TRUE;
}

static void
test_finish (Test *test)
{
  g_clear_object (&test->store);
  g_clear_object (&test->account);
  g_clear_object (&test->credentials);
}

/* A scripted server that signs the client in, and the session that will
 * talk to it. Capabilities: UIDPLUS, MOVE and LITERAL+, no ENABLE. */
static void
connection_init (Test       *test,
                 Connection *connection)
{
  g_autofree char *uri = NULL;
  g_autofree char *auth = NULL;
  static const char credentials[] = "\0" ADDRESS "\0" PASSWORD;
  g_autofree char *initial_response = g_base64_encode ((const guchar *) credentials,
                                                       sizeof credentials - 1);

  connection->server = cachet_test_server_new ();
  cachet_test_server_set_certificate (connection->server, test->pki->server_cert,
                                      test->pki->server_key);
  uri = cachet_test_server_get_uri (connection->server, "imaps");
  g_clear_object (&test->account);
  test->account = cachet_account_new ("Cabinet", ADDRESS, uri, "smtps://127.0.0.1:1");
  cachet_account_set_ca_file (test->account, test->pki->ca_file);
  cachet_test_credentials_set (test->credentials, cachet_account_get_id (test->account),
                               CACHET_SECRET_PASSWORD, PASSWORD);
  connection->session = cachet_imap_session_new (test->account,
                                                 CACHET_CREDENTIALS_PROVIDER (test->credentials));
  cachet_imap_session_set_timeout (connection->session, 10000);

  auth = g_strdup_printf ("A0001 AUTHENTICATE PLAIN %s", initial_response);
  cachet_test_server_start_tls (connection->server);
  cachet_test_server_send (connection->server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready");
  cachet_test_server_expect (connection->server, auth);
  cachet_test_server_send (connection->server,
                           "A0001 OK [CAPABILITY IMAP4rev1 UIDPLUS MOVE LITERAL+] Logged in");
}

static void
connection_connect (Connection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cachet_imap_session_connect_async (connection->session, NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_imap_session_connect_finish (connection->session,
                                                     cachet_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
connection_finish (Connection *connection)
{
  cachet_imap_session_close (connection->session);
  cachet_test_server_assert_done (connection->server);
  g_clear_object (&connection->session);
  g_clear_object (&connection->server);
}

static void
script_select (Connection *connection,
               const char *tag,
               const char *folder,
               guint32     uidvalidity)
{
  g_autofree char *select = g_strdup_printf ("%s SELECT \"%s\"", tag, folder);
  g_autofree char *valid = g_strdup_printf ("* OK [UIDVALIDITY %u] UIDs valid", uidvalidity);
  g_autofree char *ok = g_strdup_printf ("%s OK [READ-WRITE] Select completed", tag);

  cachet_test_server_expect (connection->server, select);
  cachet_test_server_send (connection->server, "* 10 EXISTS");
  cachet_test_server_send (connection->server, valid);
  cachet_test_server_send (connection->server, ok);
}

static gint64
queue (Test                *test,
       CachetPendingAction *action,
       GBytes              *payload)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cachet_store_queue_action (test->store, action, payload, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  cachet_pending_action_free (action);
  return id;
}

static CachetPendingAction *
new_action (CachetPendingActionKind  kind,
            const char              *folder,
            guint32                  uid)
{
  CachetPendingAction *action = cachet_pending_action_new (kind, folder);

  action->uidvalidity = UIDVALIDITY;
  g_array_append_val (action->uids, uid);
  return action;
}

static GPtrArray *
list_actions (Test *test)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *actions = cachet_store_list_pending_actions (test->store, &error);

  g_assert_no_error (error);
  return actions;
}

static gboolean
replay (Test               *test,
        Connection         *connection,
        CachetReplayReport *report,
        GError            **error)
{
  connection_connect (connection);
  return cachet_action_replay_run (test->store, connection->session, g_main_context_default (),
                                   NULL, report, error);
}

/* A NO fails that action alone, with the server's words; the others go on. */
static void
test_refused (void)
{
  Test test;
  Connection connection;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  CachetPendingAction *action;
  g_autoptr(CachetFolderInfo) stored = NULL;
  CachetFolderInfo archive = { .name = (char *) "Archive", .uidvalidity = UIDVALIDITY };
  CachetReplayReport report;
  gint64 refused;

  if (!test_init (&test, "replay-refused"))
    return;

  action = new_action (CACHET_PENDING_ACTION_ADD_FLAGS, "INBOX", 5);
  action->flags = CACHET_MESSAGE_FLAG_SEEN;
  queue (&test, action, NULL);
  action = new_action (CACHET_PENDING_ACTION_MOVE, "INBOX", 6);
  action->target_folder = g_strdup ("Archive");
  refused = queue (&test, action, NULL);
  action = new_action (CACHET_PENDING_ACTION_REMOVE_FLAGS, "INBOX", 7);
  action->flags = CACHET_MESSAGE_FLAG_FLAGGED;
  queue (&test, action, NULL);
  action = new_action (CACHET_PENDING_ACTION_ADD_FLAGS, "Archive", 8);
  action->flags = CACHET_MESSAGE_FLAG_FLAGGED;
  queue (&test, action, NULL);
  /* What the folder's sync knew of the server's flags. */
  archive.highestmodseq = 500;
  g_assert_true (cachet_store_upsert_folder (test.store, &archive, &error));

  connection_init (&test, &connection);
  script_select (&connection, "A0002", "INBOX", UIDVALIDITY);
  cachet_test_server_expect (connection.server, "A0003 UID STORE 5 +FLAGS.SILENT (\\Seen)");
  cachet_test_server_send (connection.server, "A0003 OK Store completed");
  cachet_test_server_expect (connection.server, "A0004 UID MOVE 6 \"Archive\"");
  cachet_test_server_send (connection.server, "A0004 NO [TRYCREATE] Mailbox doesn't exist: Archive");
  cachet_test_server_expect (connection.server, "A0005 UID STORE 7 -FLAGS.SILENT (\\Flagged)");
  cachet_test_server_send (connection.server, "A0005 OK Store completed");
  script_select (&connection, "A0006", "Archive", UIDVALIDITY);
  cachet_test_server_expect (connection.server, "A0007 UID STORE 8 +FLAGS.SILENT (\\Flagged)");
  cachet_test_server_send (connection.server, "A0007 NO [CANNOT] Read-only");
  cachet_test_server_expect_disconnect (connection.server);

  g_assert_true (replay (&test, &connection, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.replayed, ==, 2);
  g_assert_cmpuint (report.failed, ==, 2);
  g_assert_cmpuint (report.dropped, ==, 0);
  connection_finish (&connection);

  actions = list_actions (&test);
  g_assert_cmpuint (actions->len, ==, 2);
  action = g_ptr_array_index (actions, 0);
  g_assert_cmpint (action->id, ==, refused);
  g_assert_cmpint (action->state, ==, CACHET_PENDING_ACTION_FAILED);
  g_assert_cmpuint (action->attempts, ==, 1);
  g_assert_nonnull (strstr (action->last_error, "Mailbox doesn't exist"));
  action = g_ptr_array_index (actions, 1);
  g_assert_cmpint (action->state, ==, CACHET_PENDING_ACTION_FAILED);
  /* The flags shown at once are wrong: the folder's next sync reads them all
   * again. */
  stored = cachet_store_get_folder (test.store, "Archive", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->highestmodseq, ==, 0);

  /* A failed action waits for the user: the next replay sends nothing. */
  connection_init (&test, &connection);
  cachet_test_server_expect_disconnect (connection.server);
  g_assert_true (replay (&test, &connection, &report, &error));
  g_assert_cmpuint (report.replayed, ==, 0);
  g_assert_cmpuint (report.failed, ==, 0);
  connection_finish (&connection);

  test_finish (&test);
}

/* The connection drops mid-replay: what the server confirmed is done, the
 * rest stays queued and goes, once, over the next connection. */
static void
test_connection_lost (void)
{
  Test test;
  Connection connection;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  CachetPendingAction *action;
  CachetReplayReport report;
  gint64 move;

  if (!test_init (&test, "replay-connection-lost"))
    return;

  action = new_action (CACHET_PENDING_ACTION_ADD_FLAGS, "INBOX", 5);
  action->flags = CACHET_MESSAGE_FLAG_SEEN;
  queue (&test, action, NULL);
  action = new_action (CACHET_PENDING_ACTION_MOVE, "INBOX", 6);
  action->target_folder = g_strdup ("Archive");
  move = queue (&test, action, NULL);

  connection_init (&test, &connection);
  script_select (&connection, "A0002", "INBOX", UIDVALIDITY);
  cachet_test_server_expect (connection.server, "A0003 UID STORE 5 +FLAGS.SILENT (\\Seen)");
  cachet_test_server_send (connection.server, "A0003 OK Store completed");
  cachet_test_server_expect (connection.server, "A0004 UID MOVE 6 \"Archive\"");
  cachet_test_server_close (connection.server);

  g_assert_false (replay (&test, &connection, &report, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  connection_finish (&connection);

  actions = list_actions (&test);
  g_assert_cmpuint (actions->len, ==, 1);
  action = g_ptr_array_index (actions, 0);
  g_assert_cmpint (action->id, ==, move);
  g_assert_cmpint (action->state, ==, CACHET_PENDING_ACTION_IN_PROGRESS);
  g_clear_pointer (&actions, g_ptr_array_unref);

  connection_init (&test, &connection);
  script_select (&connection, "A0002", "INBOX", UIDVALIDITY);
  cachet_test_server_expect (connection.server, "A0003 UID MOVE 6 \"Archive\"");
  cachet_test_server_send (connection.server, "A0003 OK Move completed");
  cachet_test_server_expect_disconnect (connection.server);

  g_assert_true (replay (&test, &connection, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.replayed, ==, 1);
  connection_finish (&connection);

  actions = list_actions (&test);
  g_assert_cmpuint (actions->len, ==, 0);
  test_finish (&test);
}

/* UIDs of an older UIDVALIDITY name other messages: their actions are
 * dropped unsent. A deletion by Message-ID does not depend on UIDs. */
static void
test_uidvalidity_changed (void)
{
  Test test;
  Connection connection;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  CachetPendingAction *action;
  CachetReplayReport report;

  if (!test_init (&test, "replay-uidvalidity"))
    return;

  action = new_action (CACHET_PENDING_ACTION_DELETE, "Drafts", 5);
  queue (&test, action, NULL);
  action = cachet_pending_action_new (CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID, "Drafts");
  action->message_id = g_strdup ("draft-1@example.org");
  queue (&test, action, NULL);

  connection_init (&test, &connection);
  script_select (&connection, "A0002", "Drafts", UIDVALIDITY + 1);
  cachet_test_server_expect (connection.server,
                             "A0003 UID SEARCH HEADER Message-ID \"<draft-1@example.org>\"");
  cachet_test_server_send (connection.server, "* SEARCH 3 4");
  cachet_test_server_send (connection.server, "A0003 OK Search completed");
  cachet_test_server_expect (connection.server, "A0004 UID STORE 3:4 +FLAGS.SILENT (\\Deleted)");
  cachet_test_server_send (connection.server, "A0004 OK Store completed");
  cachet_test_server_expect (connection.server, "A0005 UID EXPUNGE 3:4");
  cachet_test_server_send (connection.server, "* 3 EXPUNGE");
  cachet_test_server_send (connection.server, "* 3 EXPUNGE");
  cachet_test_server_send (connection.server, "A0005 OK Expunge completed");
  cachet_test_server_expect_disconnect (connection.server);

  g_test_expect_message ("cachet-engine", G_LOG_LEVEL_WARNING, "*renumbered the folder*");
  g_assert_true (replay (&test, &connection, &report, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (report.dropped, ==, 1);
  g_assert_cmpuint (report.replayed, ==, 1);
  connection_finish (&connection);

  actions = list_actions (&test);
  g_assert_cmpuint (actions->len, ==, 0);
  test_finish (&test);
}

#define SENT_COPY "Message-ID: <sent-1@example.org>\r\n\r\nTexte.\r\n"
#define DRAFT_V2  "Message-ID: <draft-1@example.org>\r\n\r\nv2\r\n"

/* An append found in progress may have reached the server: it is looked
 * for before being sent again. A draft's append replaces the versions
 * before it, and only them. */
static void
test_append (void)
{
  Test test;
  Connection connection;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sent_copy = g_bytes_new_static (SENT_COPY, strlen (SENT_COPY));
  g_autoptr(GBytes) draft = g_bytes_new_static (DRAFT_V2, strlen (DRAFT_V2));
  g_autofree char *append = NULL;
  CachetPendingAction *action;
  CachetReplayReport report;
  gint64 interrupted;

  if (!test_init (&test, "replay-append"))
    return;

  action = cachet_pending_action_new (CACHET_PENDING_ACTION_APPEND, "Sent");
  action->flags = CACHET_MESSAGE_FLAG_SEEN;
  interrupted = queue (&test, action, sent_copy);
  g_assert_true (cachet_store_set_pending_action_state (test.store, interrupted,
                                                        CACHET_PENDING_ACTION_IN_PROGRESS, NULL,
                                                        &error));
  action = cachet_pending_action_new (CACHET_PENDING_ACTION_APPEND, "Drafts");
  action->flags = CACHET_MESSAGE_FLAG_DRAFT;
  action->message_id = g_strdup ("<draft-1@example.org>");
  queue (&test, action, draft);

  connection_init (&test, &connection);
  script_select (&connection, "A0002", "Sent", UIDVALIDITY);
  cachet_test_server_expect (connection.server,
                             "A0003 UID SEARCH HEADER Message-ID \"<sent-1@example.org>\"");
  cachet_test_server_send (connection.server, "* SEARCH 9");
  cachet_test_server_send (connection.server, "A0003 OK Search completed");
  script_select (&connection, "A0004", "Drafts", UIDVALIDITY);
  append = g_strdup_printf ("A0005 APPEND \"Drafts\" (\\Draft) {%zu+}", strlen (DRAFT_V2));
  cachet_test_server_expect (connection.server, append);
  cachet_test_server_expect (connection.server, "Message-ID: <draft-1@example.org>");
  cachet_test_server_expect (connection.server, "");
  cachet_test_server_expect (connection.server, "v2");
  cachet_test_server_expect (connection.server, "");
  cachet_test_server_send (connection.server, "A0005 OK [APPENDUID 100 12] Append completed");
  cachet_test_server_expect (connection.server,
                             "A0006 UID SEARCH HEADER Message-ID \"<draft-1@example.org>\"");
  cachet_test_server_send (connection.server, "* SEARCH 7 12");
  cachet_test_server_send (connection.server, "A0006 OK Search completed");
  cachet_test_server_expect (connection.server, "A0007 UID STORE 7 +FLAGS.SILENT (\\Deleted)");
  cachet_test_server_send (connection.server, "A0007 OK Store completed");
  cachet_test_server_expect (connection.server, "A0008 UID EXPUNGE 7");
  cachet_test_server_send (connection.server, "A0008 OK Expunge completed");
  cachet_test_server_expect_disconnect (connection.server);

  g_assert_true (replay (&test, &connection, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.replayed, ==, 2);
  connection_finish (&connection);

  actions = list_actions (&test);
  g_assert_cmpuint (actions->len, ==, 0);
  test_finish (&test);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/sync/replay/refused", test_refused);
  g_test_add_func ("/sync/replay/connection-lost", test_connection_lost);
  g_test_add_func ("/sync/replay/uidvalidity-changed", test_uidvalidity_changed);
  g_test_add_func ("/sync/replay/append", test_append);

  return g_test_run ();
}
