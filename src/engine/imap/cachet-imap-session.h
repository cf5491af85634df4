/* cachet-imap-session.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-account.h"
#include "cachet-credentials-provider.h"
#include "cachet-imap-mailbox.h"
#include "cachet-imap-parser.h"
#include "cachet-imap-response.h"
#include "cachet-imap-session-results.h"

G_BEGIN_DECLS

/**
 * CACHET_IMAP_SESSION_DEFAULT_IDLE_REFRESH_SECONDS:
 *
 * How long one IDLE command lasts before the session ends it with DONE and
 * starts another: RFC 9051 lets servers drop a client silent for 30 minutes.
 */
#define CACHET_IMAP_SESSION_DEFAULT_IDLE_REFRESH_SECONDS (29 * 60)

/**
 * CachetImapSessionState:
 * @CACHET_IMAP_SESSION_STATE_NOT_CONNECTED: before connecting, and after the
 *   session ended (logout, error, close); a session is used once
 * @CACHET_IMAP_SESSION_STATE_CONNECTING: reading the greeting, upgrading with
 *   STARTTLS, signing in and enabling extensions
 * @CACHET_IMAP_SESSION_STATE_AUTHENTICATED: signed in, no mailbox selected
 * @CACHET_IMAP_SESSION_STATE_SELECTED: a mailbox is selected (or examined)
 * @CACHET_IMAP_SESSION_STATE_LOGGING_OUT: LOGOUT was sent
 *
 * The states of RFC 9051 §3, as far as the caller can see them.
 */
typedef enum
{
  CACHET_IMAP_SESSION_STATE_NOT_CONNECTED,
  CACHET_IMAP_SESSION_STATE_CONNECTING,
  CACHET_IMAP_SESSION_STATE_AUTHENTICATED,
  CACHET_IMAP_SESSION_STATE_SELECTED,
  CACHET_IMAP_SESSION_STATE_LOGGING_OUT,
} CachetImapSessionState;

#define CACHET_TYPE_IMAP_SESSION_STATE (cachet_imap_session_state_get_type ())
GType cachet_imap_session_state_get_type (void) G_GNUC_CONST;

/**
 * CachetImapStoreAction:
 * @CACHET_IMAP_STORE_ADD: add the flags (`+FLAGS.SILENT`)
 * @CACHET_IMAP_STORE_REMOVE: remove the flags (`-FLAGS.SILENT`)
 * @CACHET_IMAP_STORE_REPLACE: set exactly these flags (`FLAGS.SILENT`)
 */
typedef enum
{
  CACHET_IMAP_STORE_ADD,
  CACHET_IMAP_STORE_REMOVE,
  CACHET_IMAP_STORE_REPLACE,
} CachetImapStoreAction;

/**
 * CachetImapQresync:
 * @uidvalidity: the UIDVALIDITY the client's copy of the mailbox is for
 * @highest_modseq: the HIGHESTMODSEQ the client last synchronised to
 * @known_uids: (nullable) (element-type guint32): the UIDs the client
 *   holds, which lets the server report only those that vanished; %NULL for
 *   all
 *
 * What the client knows of a mailbox, for a QRESYNC selection (RFC 7162).
 */
typedef struct
{
  guint32  uidvalidity;
  guint64  highest_modseq;
  GArray  *known_uids;
} CachetImapQresync;

#define CACHET_TYPE_IMAP_SESSION (cachet_imap_session_get_type ())

G_DECLARE_FINAL_TYPE (CachetImapSession, cachet_imap_session, CACHET, IMAP_SESSION, GObject)

CachetImapSession *cachet_imap_session_new              (CachetAccount                *account,
                                                         CachetCredentialsProvider    *credentials);
CachetAccount     *cachet_imap_session_get_account      (CachetImapSession            *self);
void               cachet_imap_session_set_timeout      (CachetImapSession            *self,
                                                         guint                         timeout_ms);
void               cachet_imap_session_set_idle_refresh (CachetImapSession            *self,
                                                         guint                         seconds);
void               cachet_imap_session_set_limits       (CachetImapSession            *self,
                                                         const CachetImapParserLimits *limits);

void cachet_imap_session_set_fetch_batch_size (CachetImapSession *self,
                                               guint              n_messages);
void cachet_imap_session_set_oauth_token      (CachetImapSession *self,
                                               const char        *access_token);
void cachet_imap_session_set_interaction      (CachetImapSession *self,
                                               GTlsInteraction   *interaction);

CachetImapSessionState cachet_imap_session_get_state              (CachetImapSession *self);
gboolean               cachet_imap_session_has_capability         (CachetImapSession *self,
                                                                   const char        *capability);
char                 **cachet_imap_session_dup_capabilities       (CachetImapSession *self);
gboolean               cachet_imap_session_is_enabled             (CachetImapSession *self,
                                                                   const char        *extension);
gboolean               cachet_imap_session_is_secure              (CachetImapSession *self);

const char         *cachet_imap_session_get_selected_mailbox (CachetImapSession *self);
gboolean            cachet_imap_session_is_read_only         (CachetImapSession *self);
guint32             cachet_imap_session_get_uidvalidity      (CachetImapSession *self);
guint32             cachet_imap_session_get_uidnext          (CachetImapSession *self);
guint32             cachet_imap_session_get_exists           (CachetImapSession *self);
guint64             cachet_imap_session_get_highest_modseq   (CachetImapSession *self);
const char * const *cachet_imap_session_get_permanent_flags  (CachetImapSession *self);
guint32             cachet_imap_session_lookup_uid           (CachetImapSession *self,
                                                              guint32            sequence);

CachetImapResponseCode cachet_imap_session_result_get_code (GAsyncResult *result);

void     cachet_imap_session_connect_async  (CachetImapSession    *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean cachet_imap_session_connect_finish (CachetImapSession    *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void     cachet_imap_session_noop_async     (CachetImapSession    *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean cachet_imap_session_noop_finish    (CachetImapSession    *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void     cachet_imap_session_logout_async   (CachetImapSession    *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean cachet_imap_session_logout_finish  (CachetImapSession    *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void     cachet_imap_session_close          (CachetImapSession    *self);

void     cachet_imap_session_idle_async  (CachetImapSession    *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean cachet_imap_session_idle_finish (CachetImapSession    *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void     cachet_imap_session_idle_done   (CachetImapSession    *self);

void                     cachet_imap_session_list_async    (CachetImapSession        *self,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
GPtrArray               *cachet_imap_session_list_finish   (CachetImapSession        *self,
                                                            GAsyncResult             *result,
                                                            GError                  **error);
void                     cachet_imap_session_status_async  (CachetImapSession        *self,
                                                            const char               *mailbox,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
CachetImapMailboxStatus *cachet_imap_session_status_finish (CachetImapSession        *self,
                                                            GAsyncResult             *result,
                                                            GError                  **error);
void                     cachet_imap_session_select_async  (CachetImapSession        *self,
                                                            const char               *mailbox,
                                                            const CachetImapQresync  *qresync,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
void                     cachet_imap_session_examine_async (CachetImapSession        *self,
                                                            const char               *mailbox,
                                                            const CachetImapQresync  *qresync,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
CachetImapSelectResult  *cachet_imap_session_select_finish (CachetImapSession        *self,
                                                            GAsyncResult             *result,
                                                            GError                  **error);

void       cachet_imap_session_uid_search_async         (CachetImapSession      *self,
                                                         const char * const     *criteria,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
GArray    *cachet_imap_session_uid_search_finish        (CachetImapSession      *self,
                                                         GAsyncResult           *result,
                                                         GError                **error);
void       cachet_imap_session_uid_search_message_id_async (CachetImapSession   *self,
                                                            const char          *message_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
void       cachet_imap_session_uid_fetch_async          (CachetImapSession      *self,
                                                         const guint32          *uids,
                                                         gsize                   n_uids,
                                                         CachetImapFetchItems    items,
                                                         const char             *body_section,
                                                         CachetImapFetchFunc     func,
                                                         gpointer                func_data,
                                                         GDestroyNotify          func_data_free,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
GPtrArray *cachet_imap_session_uid_fetch_finish         (CachetImapSession      *self,
                                                         GAsyncResult           *result,
                                                         GError                **error);
void       cachet_imap_session_uid_fetch_changes_async  (CachetImapSession      *self,
                                                         guint64                 changed_since,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
GPtrArray *cachet_imap_session_uid_fetch_changes_finish (CachetImapSession      *self,
                                                         GAsyncResult           *result,
                                                         GArray                **vanished,
                                                         GError                **error);
void       cachet_imap_session_uid_store_async          (CachetImapSession      *self,
                                                         const guint32          *uids,
                                                         gsize                   n_uids,
                                                         CachetImapStoreAction   action,
                                                         const char * const     *flags,
                                                         guint64                 unchanged_since,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
gboolean   cachet_imap_session_uid_store_finish         (CachetImapSession      *self,
                                                         GAsyncResult           *result,
                                                         GArray                **modified,
                                                         GError                **error);
void       cachet_imap_session_uid_copy_async           (CachetImapSession      *self,
                                                         const guint32          *uids,
                                                         gsize                   n_uids,
                                                         const char             *destination,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);

CachetImapCopyUid *cachet_imap_session_uid_copy_finish    (CachetImapSession    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               cachet_imap_session_uid_move_async     (CachetImapSession    *self,
                                                           const guint32        *uids,
                                                           gsize                 n_uids,
                                                           const char           *destination,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
CachetImapCopyUid *cachet_imap_session_uid_move_finish    (CachetImapSession    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               cachet_imap_session_uid_expunge_async  (CachetImapSession    *self,
                                                           const guint32        *uids,
                                                           gsize                 n_uids,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           cachet_imap_session_uid_expunge_finish (CachetImapSession    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               cachet_imap_session_append_async       (CachetImapSession    *self,
                                                           const char           *mailbox,
                                                           GBytes               *message,
                                                           const char * const   *flags,
                                                           GDateTime            *internaldate,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           cachet_imap_session_append_finish      (CachetImapSession    *self,
                                                           GAsyncResult         *result,
                                                           guint32              *uidvalidity,
                                                           guint32              *uid,
                                                           GError              **error);

G_END_DECLS
