/* cachet-cli.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cachet-account-list.h"
#include "cachet-store.h"

G_BEGIN_DECLS

/* What every command of cachet-cli shares: data goes to stdout (as JSON with
 * --json), errors go to stderr with a non-zero exit status. */

typedef int (*CachetCliRunFunc) (int    argc,
                                 char **argv);

typedef struct
{
  const char       *name;
  CachetCliRunFunc  run;
  const char       *summary;
} CachetCliCommand;

/* Exit statuses. */
#define CACHET_CLI_FAILED 1
#define CACHET_CLI_USAGE  2
/* Like EX_TEMPFAIL: not done yet, will be retried. */
#define CACHET_CLI_LATER  75

int                cachet_cli_run_subcommand   (const char              *prefix,
                                                const CachetCliCommand  *commands,
                                                gsize                    n_commands,
                                                int                      argc,
                                                char                   **argv);
int                cachet_cli_parse_options    (GOptionContext          *context,
                                                int                     *argc,
                                                char                  ***argv);
int                cachet_cli_fail             (const GError            *error);
void               cachet_cli_print_json       (JsonNode                *root);
void               cachet_cli_add_string       (JsonBuilder             *builder,
                                                const char              *name,
                                                const char              *value);
void               cachet_cli_result_cb        (GObject                 *source,
                                                GAsyncResult            *result,
                                                gpointer                 user_data);
GAsyncResult      *cachet_cli_wait             (GAsyncResult           **result);
CachetAccountList *cachet_cli_load_accounts    (void);
CachetAccount     *cachet_cli_find_account     (const char              *name);
CachetStore       *cachet_cli_open_store       (CachetAccount           *account);
char              *cachet_cli_read_secret      (GError                 **error);

int                cachet_cli_account          (int                      argc,
                                                char                   **argv);
int                cachet_cli_messages         (int                      argc,
                                                char                   **argv);
int                cachet_cli_show             (int                      argc,
                                                char                   **argv);
int                cachet_cli_reindex          (int                      argc,
                                                char                   **argv);
int                cachet_cli_sync             (int                      argc,
                                                char                   **argv);
int                cachet_cli_send             (int                      argc,
                                                char                   **argv);
int                cachet_cli_outbox           (int                      argc,
                                                char                   **argv);
int                cachet_cli_flag             (int                      argc,
                                                char                   **argv);
int                cachet_cli_move             (int                      argc,
                                                char                   **argv);
int                cachet_cli_delete           (int                      argc,
                                                char                   **argv);
int                cachet_cli_pending          (int                      argc,
                                                char                   **argv);

G_END_DECLS
