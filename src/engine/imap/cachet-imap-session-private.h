/* cachet-imap-session-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-connection.h"
#include "cachet-imap-command.h"
#include "cachet-imap-error.h"
#include "cachet-imap-mailbox-map.h"
#include "cachet-imap-sequence-set.h"
#include "cachet-imap-session.h"

G_BEGIN_DECLS

/* Shared by cachet-imap-session.c (connection, pipeline, state, sign-in,
 * IDLE) and cachet-imap-session-commands.c (the mailbox and message
 * commands). Nothing here is API. */

/* The untagged responses a command collects while it runs. Two commands
 * that would both claim the same kind of response are never in flight
 * together, unless the response names its command: STATUS carries the
 * mailbox, ESEARCH the tag. */
typedef enum
{
  KIND_NONE = 0,
  KIND_LIST = 1 << 0,
  KIND_LSUB = 1 << 1,
  KIND_STATUS = 1 << 2,
  KIND_SEARCH = 1 << 3,
  KIND_ESEARCH = 1 << 4,
  KIND_FETCH = 1 << 5,
  KIND_VANISHED_EARLIER = 1 << 6,
  KIND_COPYUID = 1 << 7,
  KIND_CAPABILITY = 1 << 8,
  KIND_ENABLED = 1 << 9,
} ResponseKinds;

#define AMBIGUOUS_KINDS (KIND_LIST | KIND_LSUB | KIND_SEARCH | KIND_FETCH | \
                         KIND_VANISHED_EARLIER | KIND_COPYUID | KIND_CAPABILITY | KIND_ENABLED)

typedef struct _Command Command;

/* Adds the command's arguments, once its tag is known: arguments depend on
 * what is enabled by then (UTF8=ACCEPT changes how mailbox names go out). */
typedef gboolean (*CommandArgsFunc)    (Command            *command,
                                        CachetImapCommand  *builder,
                                        GError            **error);
/* Writes the whole command itself, for lines that carry credentials. */
typedef gboolean (*CommandRawFunc)     (Command            *command,
                                        const char         *tag,
                                        GError            **error);
/* Returns TRUE if the response was the command's. */
typedef gboolean (*CommandUntaggedFunc) (Command            *command,
                                         CachetImapResponse *response);
typedef void     (*CommandContinueFunc) (Command            *command,
                                         CachetImapResponse *response);
/* @tagged is NULL when the command failed without an answer (the session
 * ended, or the command could not be written); @error is set unless the
 * answer was OK, and is owned by the caller. */
typedef void     (*CommandDoneFunc)     (Command            *command,
                                         CachetImapResponse *tagged,
                                         const GError       *error);

typedef struct
{
  GBytes           *bytes;
  gboolean          wait;
  CachetWriteFlags  flags;
} CommandPart;

struct _Command
{
  CachetImapSession   *session;
  char                *name;
  char                *tag;
  ResponseKinds        kinds;
  gboolean             barrier;
  gboolean             open_ended;
  GArray              *parts;
  guint                next_part;
  guint                continuations;
  gboolean             started;
  gboolean             finished;
  char                *correlator;

  GTask               *task;
  gpointer             data;
  CommandArgsFunc      args;
  CommandRawFunc       raw;
  CommandUntaggedFunc  untagged;
  CommandContinueFunc  on_continue;
  CommandDoneFunc      done;
};

/* The state of the selected mailbox (or of the one being selected). */
typedef struct
{
  char                 *name;
  gboolean              read_only;
  guint32               uidvalidity;
  guint32               uidnext;
  guint64               highest_modseq;
  gboolean              nomodseq;
  char                **flags;
  char                **permanent_flags;
  CachetImapMailboxMap *map;
} MailboxState;

/* Every operation's task data. */
typedef struct
{
  CachetImapSession      *session;
  GSource                *cancel_source;
  gboolean                completed;
  GPtrArray              *commands;     /* Command *, not finished, not owned */
  CachetImapResponseCode  code;
  gpointer                data;
  GDestroyNotify          data_free;
  void                  (*on_cancel) (GTask *task);
} Op;

/* cachet-imap-session.c */
GTask   *_cachet_imap_op_new            (CachetImapSession   *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data,
                                         gpointer             source_tag,
                                         gpointer             data,
                                         GDestroyNotify       data_free);
gpointer _cachet_imap_op_get_data       (GTask               *task);
gboolean _cachet_imap_op_is_completed   (GTask               *task);
void     _cachet_imap_op_set_code       (GTask               *task,
                                         CachetImapResponse  *tagged);
void     _cachet_imap_op_return_error   (GTask               *task,
                                         GError              *error);
void     _cachet_imap_op_return_boolean (GTask               *task,
                                         gboolean             value);
void     _cachet_imap_op_return_pointer (GTask               *task,
                                         gpointer             value,
                                         GDestroyNotify       value_free);
gboolean _cachet_imap_op_check_ready    (GTask               *task);

Command *_cachet_imap_command_new      (CachetImapSession *self,
                                        GTask             *task,
                                        const char        *name,
                                        ResponseKinds      kinds);
void     _cachet_imap_command_add_part (Command           *command,
                                        GBytes            *bytes,
                                        gboolean           wait,
                                        CachetWriteFlags   flags);
void     _cachet_imap_session_queue    (CachetImapSession *self,
                                        Command           *command);

CachetImapCommandFlags _cachet_imap_session_get_command_flags         (CachetImapSession *self);
const char            *_cachet_imap_session_get_host                  (CachetImapSession *self);
gboolean               _cachet_imap_session_needs_condstore_parameter (CachetImapSession *self);

guint         _cachet_imap_session_get_batch_size      (CachetImapSession  *self,
                                                        gboolean            with_body);
MailboxState *_cachet_imap_session_get_selected        (CachetImapSession  *self);
void          _cachet_imap_session_begin_select        (CachetImapSession  *self,
                                                        const char         *mailbox,
                                                        gboolean            read_only);
MailboxState *_cachet_imap_session_get_selecting       (CachetImapSession  *self);
void          _cachet_imap_session_flush_before_closed (CachetImapSession  *self);
void          _cachet_imap_session_end_select          (CachetImapSession  *self,
                                                        gboolean            success);
void          _cachet_imap_session_fail                (CachetImapSession  *self,
                                                        GError             *error);
GError       *_cachet_imap_session_server_error        (CachetImapSession  *self,
                                                        CachetImapResponse *tagged);
GError       *_cachet_imap_session_not_supported       (CachetImapSession  *self,
                                                        const char         *what);

char *_cachet_imap_sanitize_text  (const char        *text);
char *_cachet_imap_decode_mailbox (CachetImapSession *self,
                                   const char        *wire_name);

/* cachet-imap-session-results.c */
CachetImapFetchResult *_cachet_imap_fetch_result_new          (guint32                 uid);
void                   _cachet_imap_fetch_result_set_sequence (CachetImapFetchResult  *self,
                                                               guint32                 sequence);
void                   _cachet_imap_fetch_result_take_flags   (CachetImapFetchResult  *self,
                                                               char                  **flags);
void                   _cachet_imap_fetch_result_set_modseq   (CachetImapFetchResult  *self,
                                                               guint64                 modseq);

void _cachet_imap_fetch_result_take_internaldate (CachetImapFetchResult *self,
                                                  GDateTime             *internaldate);
void _cachet_imap_fetch_result_set_size          (CachetImapFetchResult *self,
                                                  guint64                size);
void _cachet_imap_fetch_result_take_body         (CachetImapFetchResult *self,
                                                  GBytes                *body);

CachetImapFetchResult *_cachet_imap_fetch_result_new_from_response (CachetImapResponse *response,
                                                                    const char         *body_key,
                                                                    guint32             uid);

void _cachet_imap_fetch_result_merge_response (CachetImapFetchResult *self,
                                               CachetImapResponse    *response,
                                               const char            *body_key);

CachetImapSelectResult *_cachet_imap_select_result_new (const char *mailbox,
                                                        gboolean    read_only);

void       _cachet_imap_select_result_set_state          (CachetImapSelectResult *self,
                                                          gboolean                read_only,
                                                          guint32                 uidvalidity,
                                                          guint32                 uidnext,
                                                          guint32                 exists,
                                                          guint64                 highest_modseq,
                                                          const char * const     *flags,
                                                          const char * const     *permanent_flags);
GArray    *_cachet_imap_select_result_get_vanished_array (CachetImapSelectResult *self);
GPtrArray *_cachet_imap_select_result_get_changed_array  (CachetImapSelectResult *self);

CachetImapCopyUid *_cachet_imap_copy_uid_new (guint32       uidvalidity,
                                              const GArray *source,
                                              const GArray *destination,
                                              guint         limit);

GDateTime *_cachet_imap_parse_date_time  (const char *text);
char      *_cachet_imap_format_date_time (GDateTime  *date_time);

G_END_DECLS
