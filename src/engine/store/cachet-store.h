/* cachet-store.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-correspondent.h"
#include "cachet-message-info.h"
#include "cachet-store-types.h"

G_BEGIN_DECLS

/**
 * CachetFolderInfo:
 * @name: the folder name, UTF-8, as the IMAP layer gives it.
 * @delimiter: (nullable): the hierarchy delimiter, %NULL for a flat name.
 * @special_use: (nullable): the RFC 6154 attribute, e.g. "\\Sent".
 * @subscribed: whether the folder is subscribed.
 * @uidvalidity: the UIDVALIDITY, 0 while unknown.
 * @uidnext: the UIDNEXT last seen, 0 while unknown.
 * @highestmodseq: the HIGHESTMODSEQ the local state is synced to, 0 without
 *   CONDSTORE.
 * @total_count: how many messages the index has (kept by the store; ignored
 *   by cachet_store_upsert_folder()).
 * @unread_count: how many of them are neither seen nor deleted (likewise).
 *
 * The state of one folder.
 */
typedef struct
{
  char     *name;
  char     *delimiter;
  char     *special_use;
  gboolean  subscribed;
  guint32   uidvalidity;
  guint32   uidnext;
  guint64   highestmodseq;
  guint     total_count;
  guint     unread_count;
} CachetFolderInfo;

/**
 * CachetUidRange:
 * @first: the first UID.
 * @last: the last UID (inclusive); may be below @first, as in IMAP "5:1".
 *
 * A range of UIDs, as in an IMAP sequence set.
 */
typedef struct
{
  guint32 first;
  guint32 last;
} CachetUidRange;

/**
 * CachetFlagUpdate:
 * @uid: the message.
 * @flags: its system flags, all of them.
 * @keywords: (nullable) (array zero-terminated=1): its keywords, all of them.
 * @modseq: the MODSEQ the server gave with them, or 0 for a local change
 *   (the recorded one is kept).
 *
 * The new state of one message's flags.
 */
typedef struct
{
  guint32              uid;
  CachetMessageFlags   flags;
  const char * const  *keywords;
  guint64              modseq;
} CachetFlagUpdate;

/**
 * CachetPendingActionKind:
 * @CACHET_PENDING_ACTION_ADD_FLAGS: add @flags and @keywords to @uids.
 * @CACHET_PENDING_ACTION_REMOVE_FLAGS: remove @flags and @keywords from @uids.
 * @CACHET_PENDING_ACTION_MOVE: move @uids to @target_folder.
 * @CACHET_PENDING_ACTION_DELETE: delete @uids (flag \Deleted and expunge).
 * @CACHET_PENDING_ACTION_APPEND: append the payload to @folder with @flags
 *   and @keywords; with a @message_id, then delete the other messages of
 *   @folder that carry it (a draft replacing its previous version).
 * @CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID: delete the messages of
 *   @folder whose Message-ID header is @message_id (a draft discarded or
 *   sent), whatever their UIDs.
 *
 * What an offline action asks of the server.
 */
typedef enum
{
  CACHET_PENDING_ACTION_ADD_FLAGS,
  CACHET_PENDING_ACTION_REMOVE_FLAGS,
  CACHET_PENDING_ACTION_MOVE,
  CACHET_PENDING_ACTION_DELETE,
  CACHET_PENDING_ACTION_APPEND,
  CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID,
} CachetPendingActionKind;

/**
 * CachetPendingActionState:
 * @CACHET_PENDING_ACTION_QUEUED: waiting to be replayed.
 * @CACHET_PENDING_ACTION_IN_PROGRESS: being replayed; found in this state
 *   after a crash, it may or may not have reached the server.
 * @CACHET_PENDING_ACTION_FAILED: given up on; @last_error says why.
 *
 * Where an offline action stands. A completed action is removed.
 */
typedef enum
{
  CACHET_PENDING_ACTION_QUEUED,
  CACHET_PENDING_ACTION_IN_PROGRESS,
  CACHET_PENDING_ACTION_FAILED,
} CachetPendingActionState;

/**
 * CachetPendingAction:
 * @id: its place in the queue (set by the store).
 * @kind: what to do.
 * @state: where it stands (set by the store).
 * @folder: the folder it acts on.
 * @uidvalidity: the folder's UIDVALIDITY the @uids belong to.
 * @uids: (element-type guint32): the messages (not for appends).
 * @flags: the flags to add, remove or append with.
 * @keywords: (array zero-terminated=1) (nullable): the keywords likewise.
 * @target_folder: (nullable): where a move goes.
 * @message_id: (nullable): the Message-ID header value, angle brackets
 *   included, of the messages an append replaces or a
 *   %CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID deletes; printable ASCII
 *   without quotes or backslashes.
 * @attempts: how many times replay started (set by the store).
 * @last_error: (nullable): why the last attempt failed (set by the store).
 * @created: when it was queued, unix seconds (set by the store).
 *
 * An action taken while offline, kept until the server has it.
 */
typedef struct
{
  gint64                    id;
  CachetPendingActionKind   kind;
  CachetPendingActionState  state;
  char                     *folder;
  guint32                   uidvalidity;
  GArray                   *uids;
  CachetMessageFlags        flags;
  char                    **keywords;
  char                     *target_folder;
  char                     *message_id;
  guint                     attempts;
  char                     *last_error;
  gint64                    created;
} CachetPendingAction;

/**
 * CachetStoreBatch:
 *
 * Messages being stored into one folder together; see
 * cachet_store_batch_new().
 */
typedef struct _CachetStoreBatch CachetStoreBatch;

#define CACHET_TYPE_STORE (cachet_store_get_type ())

G_DECLARE_FINAL_TYPE (CachetStore, cachet_store, CACHET, STORE, GObject)

CachetStore         *cachet_store_new                     (const char              *base_dir,
                                                           const char              *account_id,
                                                           GCancellable            *cancellable,
                                                           GError                 **error);
void                 cachet_store_new_async               (const char              *base_dir,
                                                           const char              *account_id,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
CachetStore         *cachet_store_new_finish              (GAsyncResult            *result,
                                                           GError                 **error);
const char          *cachet_store_get_account_id          (CachetStore             *self);
const char          *cachet_store_get_account_dir         (CachetStore             *self);

gboolean             cachet_store_upsert_folder           (CachetStore             *self,
                                                           const CachetFolderInfo  *info,
                                                           GError                 **error);
CachetFolderInfo    *cachet_store_get_folder              (CachetStore             *self,
                                                           const char              *folder,
                                                           GError                 **error);
GPtrArray           *cachet_store_list_folders            (CachetStore             *self,
                                                           GError                 **error);
gboolean             cachet_store_reset_folder            (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uidvalidity,
                                                           GError                 **error);

CachetMessageInfo   *cachet_store_add_message             (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uidvalidity,
                                                           guint32                  uid,
                                                           GBytes                  *raw,
                                                           CachetMessageFlags       flags,
                                                           const char * const      *keywords,
                                                           gint64                   internal_date,
                                                           guint64                  modseq,
                                                           GCancellable            *cancellable,
                                                           GError                 **error);
void                 cachet_store_add_message_async       (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uidvalidity,
                                                           guint32                  uid,
                                                           GBytes                  *raw,
                                                           CachetMessageFlags       flags,
                                                           const char * const      *keywords,
                                                           gint64                   internal_date,
                                                           guint64                  modseq,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
CachetMessageInfo   *cachet_store_add_message_finish      (CachetStore             *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);
CachetStoreBatch    *cachet_store_batch_new               (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uidvalidity,
                                                           GCancellable            *cancellable,
                                                           GError                 **error);
gboolean             cachet_store_batch_add               (CachetStoreBatch        *batch,
                                                           guint32                  uid,
                                                           GBytes                  *raw,
                                                           CachetMessageFlags       flags,
                                                           const char * const      *keywords,
                                                           gint64                   internal_date,
                                                           guint64                  modseq,
                                                           gboolean                *stored,
                                                           GCancellable            *cancellable,
                                                           GError                 **error);
gboolean             cachet_store_batch_commit            (CachetStoreBatch        *batch,
                                                           GError                 **error);
void                 cachet_store_batch_free              (CachetStoreBatch        *batch);
gboolean             cachet_store_update_flags            (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uidvalidity,
                                                           const CachetFlagUpdate  *updates,
                                                           guint                    n_updates,
                                                           GError                 **error);
gboolean             cachet_store_remove_messages         (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uidvalidity,
                                                           const CachetUidRange    *ranges,
                                                           guint                    n_ranges,
                                                           GError                 **error);
CachetMessageInfo   *cachet_store_get_message             (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uid,
                                                           GError                 **error);
GBytes              *cachet_store_load_message            (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uid,
                                                           GCancellable            *cancellable,
                                                           GError                 **error);
void                 cachet_store_load_message_async      (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uid,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
GBytes              *cachet_store_load_message_finish     (CachetStore             *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);

gint64               cachet_store_count_messages          (CachetStore             *self,
                                                           const char              *folder,
                                                           GError                 **error);
void                 cachet_store_count_messages_async    (CachetStore             *self,
                                                           const char              *folder,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
gint64               cachet_store_count_messages_finish   (CachetStore             *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);
GArray              *cachet_store_list_uids               (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uidvalidity,
                                                           GError                 **error);
GPtrArray           *cachet_store_list_messages           (CachetStore             *self,
                                                           const char              *folder,
                                                           guint                    offset,
                                                           guint                    limit,
                                                           GError                 **error);
void                 cachet_store_list_messages_async     (CachetStore             *self,
                                                           const char              *folder,
                                                           guint                    offset,
                                                           guint                    limit,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
GPtrArray           *cachet_store_list_messages_finish    (CachetStore             *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);
GPtrArray           *cachet_store_search                  (CachetStore             *self,
                                                           const char              *folder,
                                                           const char              *query,
                                                           guint                    offset,
                                                           guint                    limit,
                                                           GError                 **error);
void                 cachet_store_search_async            (CachetStore             *self,
                                                           const char              *folder,
                                                           const char              *query,
                                                           guint                    offset,
                                                           guint                    limit,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
GPtrArray           *cachet_store_search_finish           (CachetStore             *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);
GPtrArray           *cachet_store_search_correspondents   (CachetStore             *self,
                                                           const char              *query,
                                                           const char * const      *exclude,
                                                           guint                    limit,
                                                           GError                 **error);
void                 cachet_store_search_correspondents_async (CachetStore         *self,
                                                           const char              *query,
                                                           const char * const      *exclude,
                                                           guint                    limit,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
GPtrArray           *cachet_store_search_correspondents_finish (CachetStore        *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);

gint64               cachet_store_queue_action            (CachetStore             *self,
                                                           const CachetPendingAction *action,
                                                           GBytes                  *payload,
                                                           GError                 **error);
void                 cachet_store_queue_action_async      (CachetStore             *self,
                                                           const CachetPendingAction *action,
                                                           GBytes                  *payload,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
gint64               cachet_store_queue_action_finish     (CachetStore             *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);
gint64               cachet_store_apply_action            (CachetStore             *self,
                                                           const CachetPendingAction *action,
                                                           GBytes                  *payload,
                                                           GError                 **error);
void                 cachet_store_apply_action_async      (CachetStore             *self,
                                                           const CachetPendingAction *action,
                                                           GBytes                  *payload,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
gint64               cachet_store_apply_action_finish     (CachetStore             *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);
CachetPendingAction *cachet_store_new_delete_action       (CachetStore             *self,
                                                           const char              *folder,
                                                           guint32                  uidvalidity,
                                                           const guint32           *uids,
                                                           guint                    n_uids,
                                                           GError                 **error);
GPtrArray           *cachet_store_list_pending_actions    (CachetStore             *self,
                                                           GError                 **error);
gboolean             cachet_store_set_pending_action_state (CachetStore            *self,
                                                           gint64                   id,
                                                           CachetPendingActionState state,
                                                           const char              *error_message,
                                                           GError                 **error);
gboolean             cachet_store_complete_pending_action (CachetStore             *self,
                                                           gint64                   id,
                                                           GError                 **error);
GBytes              *cachet_store_load_pending_payload    (CachetStore             *self,
                                                           gint64                   id,
                                                           GError                 **error);

gboolean             cachet_store_reindex                 (CachetStore             *self,
                                                           GCancellable            *cancellable,
                                                           GError                 **error);
void                 cachet_store_reindex_async           (CachetStore             *self,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
gboolean             cachet_store_reindex_finish          (CachetStore             *self,
                                                           GAsyncResult            *result,
                                                           GError                 **error);

void                 cachet_folder_info_free              (CachetFolderInfo        *info);
CachetPendingAction *cachet_pending_action_new            (CachetPendingActionKind  kind,
                                                           const char              *folder);
void                 cachet_pending_action_free           (CachetPendingAction     *action);
const char          *cachet_pending_action_kind_to_string (CachetPendingActionKind  kind);
const char          *cachet_pending_action_state_to_string (CachetPendingActionState state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetFolderInfo, cachet_folder_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetPendingAction, cachet_pending_action_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetStoreBatch, cachet_store_batch_free)

G_END_DECLS
