/* test-labs-mail-import.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cachet-lab-filer.h"
#include "cachet-lab-mail-import.h"
#include "cachet-mime.h"
#include "cachet-store.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "labs-test-data.h"

/* Lab results filed from the messages of a store: each message read once,
 * tagged for the other workstations once filed, and skipped unread when
 * another workstation tagged it; one message filed on demand whatever was
 * done before; the command line does the same. */

#define UIDVALIDITY 41
#define INS_OID     "1.2.250.1.213.1.4.8"

typedef struct
{
  char        *root;
  char        *journal;
  char        *archive;
  CachetStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = UIDVALIDITY };

  fixture->root = g_dir_make_tmp ("labs-mail-import-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->journal = g_build_filename (fixture->root, "journal.sqlite", NULL);
  fixture->archive = g_build_filename (fixture->root, "archive", NULL);
  base = g_build_filename (fixture->root, "data", NULL);
  fixture->store = cachet_store_new (base, "account", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_store_upsert_folder (fixture->store, &inbox, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  cachet_test_remove_tree (fixture->root);
  g_free (fixture->root);
  g_free (fixture->journal);
  g_free (fixture->archive);
}

/* An HPRIM Net file of two patients, neither with a qualified INS. */
static GBytes *
lab_message (void)
{
  g_autofree char *hprim = labs_test_hprim_net (FALSE);

  return labs_test_mail (hprim, "cr.hpr");
}

/* A CR-BIO of one patient with a qualified INS: filed at once. */
static GBytes *
cda_message (const char *set_id)
{
  g_autofree char *cda = labs_test_cda (INS_OID, set_id, 1, NULL, "7.8");

  return labs_test_mail (cda, "cr-bio.xml");
}

static GBytes *
letter (void)
{
  static const char raw[] =
    "From: Dr Lambert <bob@example.org>\r\nTo: secretariat@demo.cachet.test\r\nSubject: RDV\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour, à jeudi.\r\n";

  return g_bytes_new_static (raw, sizeof raw - 1);
}

static void
add_message (CachetStore        *store,
             guint32             uid,
             GBytes             *raw,
             const char * const *keywords)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetMessageInfo) info = cachet_store_add_message (store, "INBOX", UIDVALIDITY, uid, raw, 0,
                                                                keywords, 1768467000 + uid, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
}

static GPtrArray *
run_import_with_layout (Fixture             *fixture,
                        const char          *archive,
                        CachetLabLayout      layout,
                        CachetLabMailReport *report,
                        GError             **error)
{
  g_autoptr(CachetLabMailImport) import = cachet_lab_mail_import_new (fixture->store, fixture->journal,
                                                                      archive, NULL);
  g_autoptr(GAsyncResult) result = NULL;

  cachet_lab_mail_import_set_layout (import, layout);
  cachet_lab_mail_import_run_async (import, "INBOX", NULL, cachet_test_result_cb, &result);
  return cachet_lab_mail_import_run_finish (import, cachet_test_wait_result (&result), report, error);
}

static GPtrArray *
run_import (Fixture             *fixture,
            const char          *archive,
            CachetLabMailReport *report,
            GError             **error)
{
  return run_import_with_layout (fixture, archive, CACHET_LAB_LAYOUT_DEFAULT, report, error);
}

static gboolean
has_keyword (CachetStore *store,
             guint32      uid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetMessageInfo) info = cachet_store_get_message (store, "INBOX", uid, &error);

  g_assert_no_error (error);
  return cachet_message_info_has_keyword (info, CACHET_LAB_FILED_KEYWORD);
}

static guint
count_journal (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetLabFiler) filer = cachet_lab_filer_new (fixture->journal, fixture->archive, NULL, &error);
  g_autoptr(GListModel) entries = NULL;

  g_assert_no_error (error);
  entries = cachet_lab_filer_list_entries (filer, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (entries);
}

static guint
count_pending_actions (CachetStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = cachet_store_list_pending_actions (store, &error);

  g_assert_no_error (error);
  return actions->len;
}

static void
assert_report (const CachetLabMailReport *report,
               guint                      examined,
               guint                      skipped,
               guint                      tagged)
{
  g_assert_cmpuint (report->examined, ==, examined);
  g_assert_cmpuint (report->skipped, ==, skipped);
  g_assert_cmpuint (report->tagged, ==, tagged);
}

/* The one change queued for the server: the keyword that tells the other
 * workstations the message of @uid is filed. */
static void
assert_filed_keyword_queued (CachetStore *store,
                             guint32      uid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = cachet_store_list_pending_actions (store, &error);
  CachetPendingAction *action;

  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 1);
  action = g_ptr_array_index (actions, 0);
  g_assert_cmpint (action->kind, ==, CACHET_PENDING_ACTION_ADD_FLAGS);
  g_assert_cmpuint (action->uidvalidity, ==, UIDVALIDITY);
  g_assert_cmpuint (action->uids->len, ==, 1);
  g_assert_cmpuint (g_array_index (action->uids, guint32, 0), ==, uid);
  g_assert_cmpstrv (action->keywords, ((const char * const[]) { CACHET_LAB_FILED_KEYWORD, NULL }));
  g_assert_cmpuint (action->flags, ==, 0);
}

/* The layout chosen in Preferences reaches the filer of each run. */
static void
test_layout (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) lab = lab_message ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  CachetLabMailReport report;

  add_message (fixture->store, 1, lab, NULL);
  entries = run_import_with_layout (fixture, fixture->archive, CACHET_LAB_LAYOUT_BY_YEAR, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >, 0);
  for (guint i = 0; i < entries->len; i++)
    {
      CachetLabJournalEntry *entry = g_ptr_array_index (entries, i);
      const char * const *files = cachet_lab_journal_entry_get_files (entry);
      g_autofree char *year = g_build_filename (cachet_lab_journal_entry_get_folder (entry), "2024", NULL);

      g_assert_nonnull (files);
      for (guint j = 0; files[j] != NULL; j++)
        {
          g_autofree char *parent = g_path_get_dirname (files[j]);

          g_assert_cmpstr (parent, ==, year);
        }
    }
}

/* The lab message is filed and tagged, locally at once and for the server
 * through the queue; the letter is read but left alone; a second run reads
 * nothing again. */
static void
test_files_and_tags (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) lab = lab_message ();
  g_autoptr(GBytes) other = letter ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  CachetLabMailReport report;

  g_assert_true (cachet_store_keyword_is_valid (CACHET_LAB_FILED_KEYWORD));
  add_message (fixture->store, 1, lab, NULL);
  add_message (fixture->store, 2, other, NULL);

  entries = run_import (fixture, fixture->archive, &report, &error);
  g_assert_no_error (error);
  /* Two patients in the HPRIM file. */
  g_assert_cmpuint (entries->len, ==, 2);
  assert_report (&report, 2, 0, 1);
  g_assert_true (has_keyword (fixture->store, 1));
  g_assert_false (has_keyword (fixture->store, 2));
  assert_filed_keyword_queued (fixture->store, 1);

  again = run_import (fixture, fixture->archive, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpuint (report.examined, ==, 0);
  g_assert_cmpuint (count_journal (fixture), ==, 2);
}

/* Tagged by another workstation: skipped without being read, nothing
 * filed, nothing queued. */
static void
test_skips_tagged (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) lab = lab_message ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char * const keywords[] = { "$cachetlabfiled", NULL };
  CachetLabMailReport report;

  /* Keywords compare without case, as IMAP says. */
  add_message (fixture->store, 1, lab, keywords);
  entries = run_import (fixture, fixture->archive, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  assert_report (&report, 0, 1, 0);
  g_assert_cmpuint (count_journal (fixture), ==, 0);
  g_assert_false (g_file_test (fixture->archive, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_pending_actions (fixture->store), ==, 0);
}

/* An archive that cannot be written stops the run at the message; once it
 * can, the next run files that message: nothing is lost. */
static void
test_failure_resumes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) lab = lab_message ();
  g_autofree char *blocked = g_build_filename (fixture->root, "blocked", NULL);
  g_autoptr(GPtrArray) failed = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  CachetLabMailReport report;

  /* A file where the archive folder should be: even root cannot write in it. */
  g_assert_true (g_file_set_contents (blocked, "", 0, &error));
  add_message (fixture->store, 1, lab, NULL);
  failed = run_import (fixture, blocked, &report, &error);
  g_assert_null (failed);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (has_keyword (fixture->store, 1));

  entries = run_import (fixture, fixture->archive, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpuint (report.tagged, ==, 1);
  g_assert_true (has_keyword (fixture->store, 1));
}

/* A cancelled run files nothing and returns the cancellation. */
static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) lab = lab_message ();
  g_autoptr(CachetLabMailImport) import = cachet_lab_mail_import_new (fixture->store, fixture->journal,
                                                                      fixture->archive, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  add_message (fixture->store, 1, lab, NULL);
  g_cancellable_cancel (cancellable);
  cachet_lab_mail_import_run_async (import, "INBOX", cancellable, cachet_test_result_cb, &result);
  entries = cachet_lab_mail_import_run_finish (import, cachet_test_wait_result (&result), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (entries);
  g_assert_false (has_keyword (fixture->store, 1));
}

static GPtrArray *
import_on_demand (Fixture             *fixture,
                  guint32              uid,
                  CachetLabMailReport *report,
                  GError             **error)
{
  g_autoptr(CachetLabMailImport) import = cachet_lab_mail_import_new (fixture->store, fixture->journal,
                                                                      fixture->archive, NULL);
  g_autoptr(GAsyncResult) result = NULL;

  cachet_lab_mail_import_message_async (import, "INBOX", uid, NULL, cachet_test_result_cb, &result);
  return cachet_lab_mail_import_message_finish (import, cachet_test_wait_result (&result), report, error);
}

static void
assert_all_status (GPtrArray            *entries,
                   CachetLabEntryStatus  status)
{
  g_assert_cmpuint (entries->len, >, 0);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpint (cachet_lab_journal_entry_get_status (g_ptr_array_index (entries, i)), ==, status);
}

/* A message below the progress of the folder's runs, which they will never
 * read again: filed on demand, tagged once; filed again, the journal says
 * duplicate and nothing is queued twice. */
static void
test_one_message (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GBytes) lab = lab_message ();
  g_autoptr(GBytes) other = letter ();
  g_autoptr(GPtrArray) run = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  CachetLabMailReport report;

  add_message (fixture->store, 2, other, NULL);
  run = run_import (fixture, fixture->archive, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report.examined, ==, 1);
  /* Appears below what the run reached, as after a restore from backup. */
  add_message (fixture->store, 1, lab, NULL);
  g_clear_pointer (&run, g_ptr_array_unref);
  run = run_import (fixture, fixture->archive, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (run->len, ==, 0);
  g_assert_cmpuint (report.examined, ==, 0);

  entries = import_on_demand (fixture, 1, &report, &error);
  g_assert_no_error (error);
  /* Two patients without a qualified INS: both wait for the user. */
  g_assert_cmpuint (entries->len, ==, 2);
  assert_all_status (entries, CACHET_LAB_ENTRY_STATUS_PENDING);
  assert_report (&report, 1, 0, 1);
  g_assert_true (has_keyword (fixture->store, 1));
  assert_filed_keyword_queued (fixture->store, 1);

  again = import_on_demand (fixture, 1, &report, &error);
  g_assert_no_error (error);
  /* The file is known by its hash: one duplicate for the whole of it. */
  assert_all_status (again, CACHET_LAB_ENTRY_STATUS_DUPLICATE);
  g_assert_cmpuint (count_journal (fixture), ==, 2);
  g_assert_cmpuint (report.tagged, ==, 0);
  g_assert_cmpuint (count_pending_actions (fixture->store), ==, 1);
}

/* Tagged by another workstation, whose journal this one does not share:
 * asked for, it is filed here, with no second keyword queued. */
static void
test_one_message_tagged (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) cda = cda_message ("1.2.250.1.999.7");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char * const keywords[] = { CACHET_LAB_FILED_KEYWORD, NULL };
  CachetLabMailReport report;

  add_message (fixture->store, 5, cda, keywords);
  entries = import_on_demand (fixture, 5, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  assert_all_status (entries, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_patient (g_ptr_array_index (entries, 0)), ==,
                   "DURAND Hélène (1961-03-02)");
  g_assert_true (g_str_has_prefix (cachet_lab_journal_entry_get_folder (g_ptr_array_index (entries, 0)),
                                   fixture->archive));
  g_assert_cmpuint (report.tagged, ==, 0);
  g_assert_cmpuint (count_pending_actions (fixture->store), ==, 0);
}

/* A letter holds no lab result: a clear error, nothing written, nothing
 * tagged; a message gone from the store is not found. */
static void
test_one_message_without_result (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GBytes) other = letter ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  g_autoptr(GError) error = NULL;

  add_message (fixture->store, 3, other, NULL);
  entries = import_on_demand (fixture, 3, NULL, &error);
  g_assert_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_NO_RESULT);
  g_assert_cmpstr (error->message, ==, "No lab result found in this message");
  g_assert_null (entries);
  g_clear_error (&error);
  g_assert_false (has_keyword (fixture->store, 3));
  g_assert_cmpuint (count_pending_actions (fixture->store), ==, 0);
  g_assert_cmpuint (count_journal (fixture), ==, 0);

  gone = import_on_demand (fixture, 4, NULL, &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);
}

static JsonArray *
parse_json_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

/* cachet-cli labs import-mail: files and tags the lab message, says it
 * skipped the one another workstation tagged, and files nothing twice. */
static void
test_cli (void)
{
  g_autofree char *archive = g_build_filename (g_get_user_data_dir (), "cli-archive", NULL);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetStore) store = cachet_test_add_account ("Labos", "secretariat@demo.cachet.test", &account);
  g_autoptr(CachetCliResult) imported = NULL;
  g_autoptr(CachetCliResult) again = NULL;
  g_autoptr(JsonArray) none = NULL;
  g_autoptr(GBytes) lab = lab_message ();
  g_autoptr(GError) error = NULL;
  const char * const tagged[] = { CACHET_LAB_FILED_KEYWORD, NULL };
  CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = UIDVALIDITY };

  g_assert_true (cachet_store_upsert_folder (store, &inbox, &error));
  add_message (store, 1, lab, NULL);
  add_message (store, 2, lab, tagged);
  /* One process at a time opens an account's store. */
  g_clear_object (&store);

  imported = cachet_test_run_cli ("labs", "import-mail", "--account", "Labos", "--into", archive, NULL);
  g_assert_cmpint (imported->exit_status, ==, 0);
  g_assert_nonnull (strstr (imported->err, "1 message skipped"));
  g_assert_nonnull (strstr (imported->out, "DURAND"));

  again = cachet_test_run_cli ("labs", "import-mail", "--account", "Labos", "--into", archive, "--json", NULL);
  g_assert_cmpint (again->exit_status, ==, 0);
  none = parse_json_array (again->out);
  g_assert_cmpuint (json_array_get_length (none), ==, 0);

  store = cachet_store_new (NULL, cachet_account_get_id (account), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (has_keyword (store, 1));
}

static void
assert_json_statuses (const char *json,
                      const char *status)
{
  g_autoptr(JsonArray) entries = parse_json_array (json);

  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "status"), ==,
                   status);
}

/* cachet-cli labs import-mail --uid: one message, filed and tagged, then a
 * duplicate; a letter says it holds no lab result; a bad UID is a usage
 * error. */
static void
test_cli_one_message (void)
{
  g_autofree char *archive = g_build_filename (g_get_user_data_dir (), "cli-one-archive", NULL);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetStore) store = cachet_test_add_account ("Secrétariat", "secretariat@demo.cachet.test",
                                                          &account);
  g_autoptr(CachetCliResult) imported = NULL;
  g_autoptr(CachetCliResult) again = NULL;
  g_autoptr(CachetCliResult) none = NULL;
  g_autoptr(CachetCliResult) usage = NULL;
  g_autoptr(GBytes) cda = cda_message ("1.2.250.1.999.8");
  g_autoptr(GBytes) other = letter ();
  g_autoptr(GError) error = NULL;
  CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = UIDVALIDITY };

  g_assert_true (cachet_store_upsert_folder (store, &inbox, &error));
  add_message (store, 1, cda, NULL);
  add_message (store, 2, other, NULL);
  g_clear_object (&store);

  imported = cachet_test_run_cli ("labs", "import-mail", "--account", "Secrétariat", "--folder", "INBOX",
                                  "--uid", "1", "--into", archive, "--json", NULL);
  g_assert_cmpint (imported->exit_status, ==, 0);
  assert_json_statuses (imported->out, "filed");

  again = cachet_test_run_cli ("labs", "import-mail", "--account", "Secrétariat", "--folder", "INBOX",
                               "--uid", "1", "--into", archive, "--json", NULL);
  g_assert_cmpint (again->exit_status, ==, 0);
  assert_json_statuses (again->out, "duplicate");

  none = cachet_test_run_cli ("labs", "import-mail", "--account", "Secrétariat", "--uid", "2",
                              "--into", archive, NULL);
  g_assert_cmpint (none->exit_status, ==, 1);
  g_assert_nonnull (strstr (none->err, "No lab result found in this message"));
  g_assert_cmpstr (none->out, ==, "");

  usage = cachet_test_run_cli ("labs", "import-mail", "--account", "Secrétariat", "--uid=-2", NULL);
  g_assert_cmpint (usage->exit_status, ==, 2);
  g_assert_nonnull (strstr (usage->err, "positive number"));

  store = cachet_store_new (NULL, cachet_account_get_id (account), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (has_keyword (store, 1));
  g_assert_false (has_keyword (store, 2));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  g_test_add ("/labs/mail-import/files-and-tags", Fixture, NULL, fixture_set_up, test_files_and_tags,
              fixture_tear_down);
  g_test_add ("/labs/mail-import/skips-tagged", Fixture, NULL, fixture_set_up, test_skips_tagged,
              fixture_tear_down);
  g_test_add ("/labs/mail-import/failure-resumes", Fixture, NULL, fixture_set_up, test_failure_resumes,
              fixture_tear_down);
  g_test_add ("/labs/mail-import/cancelled", Fixture, NULL, fixture_set_up, test_cancelled, fixture_tear_down);
  g_test_add ("/labs/mail-import/layout", Fixture, NULL, fixture_set_up, test_layout, fixture_tear_down);
  g_test_add ("/labs/mail-import/one-message", Fixture, NULL, fixture_set_up, test_one_message,
              fixture_tear_down);
  g_test_add ("/labs/mail-import/one-message-tagged", Fixture, NULL, fixture_set_up, test_one_message_tagged,
              fixture_tear_down);
  g_test_add ("/labs/mail-import/one-message-without-result", Fixture, NULL, fixture_set_up,
              test_one_message_without_result, fixture_tear_down);
  g_test_add_func ("/labs/mail-import/cli", test_cli);
  g_test_add_func ("/labs/mail-import/cli-one-message", test_cli_one_message);

  return g_test_run ();
}
