/* cachet-message-list.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-message-list.h"

/* The messages of one folder, newest first, for list views. A folder can hold
 * a hundred thousand messages: rows are read from the index a page at a time,
 * only when a view asks for them, and only a few pages are kept. */

#define PAGE_SIZE    128
#define MAX_PAGES    16
/* How far, in pages each way, a message is looked for after a reload. */
#define FIND_REACH_PAGES 3

typedef struct
{
  guint      first;
  GPtrArray *rows;
} Page;

struct _CachetMessageList
{
  GObject      parent_instance;

  CachetStore *store;
  char        *folder;
  guint        n_items;
  /* Most recently used first. */
  GQueue       pages;
};

static void cachet_message_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CachetMessageList, cachet_message_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cachet_message_list_model_init))

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->rows);
  g_free (page);
}

static void
drop_pages (CachetMessageList *self)
{
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
}

/**
 * cachet_message_list_new:
 * @store: an account's store
 * @folder: a folder of that store
 *
 * Returns: (transfer full): an empty list; call cachet_message_list_reload()
 */
CachetMessageList *
cachet_message_list_new (CachetStore *store,
                         const char  *folder)
{
  CachetMessageList *self;

  g_return_val_if_fail (CACHET_IS_STORE (store), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  self = g_object_new (CACHET_TYPE_MESSAGE_LIST, NULL);
  self->store = g_object_ref (store);
  self->folder = g_strdup (folder);

  return self;
}

const char *
cachet_message_list_get_folder (CachetMessageList *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_LIST (self), NULL);
  return self->folder;
}

/**
 * cachet_message_list_reload:
 * @error: return location for a #GError
 *
 * Counts the folder's messages again and forgets the rows read so far, after
 * the index changed.
 *
 * Returns: %TRUE on success; on failure the list is unchanged
 */
gboolean
cachet_message_list_reload (CachetMessageList  *self,
                            GError            **error)
{
  gint64 count;
  guint removed;

  g_return_val_if_fail (CACHET_IS_MESSAGE_LIST (self), FALSE);

  count = cachet_store_count_messages (self->store, self->folder, error);
  if (count < 0)
    return FALSE;

  drop_pages (self);
  removed = self->n_items;
  self->n_items = (guint) MIN (count, G_MAXUINT);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_items);

  return TRUE;
}

static Page *
find_page (CachetMessageList *self,
           guint              first)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->first == first)
        {
          g_queue_unlink (&self->pages, l);
          g_queue_push_head_link (&self->pages, l);
          return page;
        }
    }
  return NULL;
}

static Page *
load_page (CachetMessageList *self,
           guint              first)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = cachet_store_list_messages (self->store, self->folder, first, PAGE_SIZE, &error);
  Page *page;

  if (rows == NULL)
    {
      /* A list view cannot take an error: the row shows empty until the next
       * reload. Say why without naming the folder, which may be a patient's. */
      g_warning ("Cannot read messages from the index: %s", error->message);
      return NULL;
    }

  page = g_new0 (Page, 1);
  page->first = first;
  page->rows = rows;
  g_queue_push_head (&self->pages, page);
  if (self->pages.length > MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  return page;
}

static Page *
get_page (CachetMessageList *self,
          guint              first)
{
  Page *page = find_page (self, first);

  return page != NULL ? page : load_page (self, first);
}

/**
 * cachet_message_list_find:
 * @uid: a message of the folder
 * @near: where it was before the last reload
 * @position: (out): where it is now
 *
 * Finds a message again after a reload, to keep it selected. New mail above
 * it, or messages that left, move it by a few rows only, so the search
 * starts where it was and reads a few pages around.
 *
 * Returns: %TRUE if @uid is within reach of @near
 */
gboolean
cachet_message_list_find (CachetMessageList *self,
                          guint32            uid,
                          guint              near,
                          guint             *position)
{
  guint near_page = MIN (near, self->n_items) / PAGE_SIZE;

  g_return_val_if_fail (CACHET_IS_MESSAGE_LIST (self), FALSE);
  g_return_val_if_fail (position != NULL, FALSE);

  /* Pages in the order near, after, before, then farther after and before:
   * new mail, the common case, pushes messages down. */
  for (guint step = 0; step < 2 * FIND_REACH_PAGES + 1; step++)
    {
      guint distance = (step + 1) / 2;
      gboolean after = step % 2 == 1;
      guint page_index;
      Page *page;

      if (!after && distance > near_page)
        continue;
      page_index = after ? near_page + distance : near_page - distance;
      if ((guint64) page_index * PAGE_SIZE >= self->n_items)
        continue;

      page = get_page (self, page_index * PAGE_SIZE);
      for (guint i = 0; page != NULL && i < page->rows->len; i++)
        {
          if (cachet_message_info_get_uid (g_ptr_array_index (page->rows, i)) == uid)
            {
              *position = page->first + i;
              return TRUE;
            }
        }
    }

  return FALSE;
}

static GType
cachet_message_list_get_item_type (GListModel *model)
{
  return CACHET_TYPE_MESSAGE_INFO;
}

static guint
cachet_message_list_get_n_items (GListModel *model)
{
  return CACHET_MESSAGE_LIST (model)->n_items;
}

static gpointer
cachet_message_list_get_item (GListModel *model,
                              guint       position)
{
  CachetMessageList *self = CACHET_MESSAGE_LIST (model);
  guint first = position - position % PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = get_page (self, first);
  /* The index may have shrunk since the count: the row is simply gone. */
  if (page == NULL || position - first >= page->rows->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->rows, position - first));
}

static void
cachet_message_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cachet_message_list_get_item_type;
  iface->get_n_items = cachet_message_list_get_n_items;
  iface->get_item = cachet_message_list_get_item;
}

static void
cachet_message_list_finalize (GObject *object)
{
  CachetMessageList *self = CACHET_MESSAGE_LIST (object);

  drop_pages (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->folder, g_free);

  G_OBJECT_CLASS (cachet_message_list_parent_class)->finalize (object);
}

static void
cachet_message_list_class_init (CachetMessageListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_message_list_finalize;
}

static void
cachet_message_list_init (CachetMessageList *self)
{
  g_queue_init (&self->pages);
}
