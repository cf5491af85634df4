/* cachet-message-view.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <webkit/webkit.h>

#include "cachet-attachment-cache.h"
#include "cachet-message-render.h"
#include "cachet-message-view.h"

/* The document's own address: not a network one, and not a base against
 * which a relative URL could reach anything. */
#define DOCUMENT_URI "about:blank"

/* Every load is refused but the message's own images. WebKit checks these
 * rules in the web process before a request is made, for every kind of
 * resource (images, styles, fonts, frames, media, prefetch, preconnect,
 * pings). */
#define CONTENT_FILTER_ID "cachet-no-network-1"
static const char content_filter_rules[] =
  "[{\"trigger\":{\"url-filter\":\".*\"},\"action\":{\"type\":\"block\"}},"
  "{\"trigger\":{\"url-filter\":\"^cid:\"},\"action\":{\"type\":\"ignore-previous-rules\"}}]";

struct _CachetMessageView
{
  GtkWidget                 parent_instance;

  /* Cancelled when another message is shown, on clear and on dispose. */
  GCancellable             *cancellable;
  GBytes                   *raw;
  CachetMessageRender      *render;
  /* Attachment index → the copy written for a drag, once written. */
  GHashTable               *dragged_files;
  gboolean                  loading;

  /* Made for the first HTML message and kept: one per view, shared with
   * no other view, nothing on disk. */
  WebKitWebContext         *web_context;
  WebKitNetworkSession     *network_session;
  WebKitUserContentManager *content_manager;
  WebKitSettings           *web_settings;
  gboolean                  content_filter_added;
  /* A new one for each HTML message, owned by html_overlay. */
  WebKitWebView            *web_view;
  gboolean                  document_load_pending;

  /* Template widgets */
  GtkStack                 *stack;
  AdwStatusPage            *error_page;
  GtkLabel                 *subject_label;
  GtkLabel                 *from_label;
  GtkLabel                 *to_caption;
  GtkLabel                 *to_label;
  GtkLabel                 *cc_caption;
  GtkLabel                 *cc_label;
  GtkLabel                 *date_caption;
  GtkLabel                 *date_label;
  GtkWidget                *attachments_box;
  GtkFlowBox               *attachments_flow;
  GtkLabel                 *truncated_label;
  GtkStack                 *body_stack;
  GtkTextView              *text_view;
  GtkOverlay               *html_overlay;
  GtkWidget                *link_box;
  GtkLabel                 *link_label;
  AdwStatusPage            *notice_page;
};

G_DEFINE_FINAL_TYPE (CachetMessageView, cachet_message_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  OPEN_LINK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * cachet_message_view_new:
 *
 * Creates a view that shows one message at a time: its headers, its
 * attachments and its body. HTML bodies are shown with scripts off and every
 * network load refused; see cachet_message_view_show_message().
 *
 * Returns: (transfer floating): the view.
 */
GtkWidget *
cachet_message_view_new (void)
{
  return g_object_new (CACHET_TYPE_MESSAGE_VIEW, NULL);
}

static void
set_loading (CachetMessageView *self,
             gboolean           loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The process compiles the rules once, in the background; views wait for
 * them before they load any HTML. Main thread only. */
static WebKitUserContentFilter *content_filter;
static WebKitUserContentFilterStore *content_filter_store;
static GPtrArray *content_filter_waiters;

static void
content_filter_saved_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&content_filter_waiters);
  g_autoptr(GError) error = NULL;

  content_filter = webkit_user_content_filter_store_save_finish (WEBKIT_USER_CONTENT_FILTER_STORE (source),
                                                                 result, &error);
  g_clear_object (&content_filter_store);
  if (content_filter == NULL)
    g_warning ("Could not compile the content filter of the message view: %s", error->message);

  /* A failure is not remembered: the next HTML message tries again. */
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (content_filter != NULL)
        g_task_return_pointer (task, webkit_user_content_filter_ref (content_filter),
                               (GDestroyNotify) webkit_user_content_filter_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static void
content_filter_get_async (CachetMessageView   *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, content_filter_get_async);

  if (content_filter != NULL)
    {
      g_task_return_pointer (task, webkit_user_content_filter_ref (content_filter),
                             (GDestroyNotify) webkit_user_content_filter_unref);
      return;
    }

  if (content_filter_waiters == NULL)
    {
      g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "cachet",
                                                "webkit-content-filters", NULL);
      g_autoptr(GBytes) rules = g_bytes_new_static (content_filter_rules,
                                                    sizeof content_filter_rules - 1);

      content_filter_waiters = g_ptr_array_new_with_free_func (g_object_unref);
      content_filter_store = webkit_user_content_filter_store_new (path);
      webkit_user_content_filter_store_save (content_filter_store, CONTENT_FILTER_ID, rules, NULL,
                                             content_filter_saved_cb, NULL);
    }
  g_ptr_array_add (content_filter_waiters, g_steal_pointer (&task));
}

static WebKitUserContentFilter *
content_filter_get_finish (CachetMessageView  *self,
                           GAsyncResult       *result,
                           GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
show_error (CachetMessageView *self,
            const char        *description)
{
  /* The description of an AdwStatusPage is markup. */
  g_autofree char *escaped = g_markup_escape_text (description, -1);

  set_loading (self, FALSE);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
drop_web_view (CachetMessageView *self)
{
  if (self->web_view == NULL)
    return;

  /* The overlay holds the only reference: the page closes with it, and
   * nothing it still does reaches this view. */
  self->web_view = NULL;
  self->document_load_pending = FALSE;
  gtk_overlay_set_child (self->html_overlay, NULL);
  gtk_widget_set_visible (self->link_box, FALSE);
}

static void
reset (CachetMessageView *self)
{
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_web_view (self);
  g_clear_pointer (&self->render, cachet_message_render_free);
  g_clear_pointer (&self->raw, g_bytes_unref);
  g_clear_pointer (&self->dragged_files, g_hash_table_unref);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_flow))) != NULL)
    gtk_flow_box_remove (self->attachments_flow, child);
}

static gboolean
cachet_message_view_real_open_link (CachetMessageView *self,
                                    const char        *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  return TRUE;
}

static void
open_link (CachetMessageView *self,
           const char        *uri)
{
  gboolean handled = FALSE;

  /* The URI is message content: it is never logged. */
  if (cachet_message_render_link_can_open (uri))
    g_signal_emit (self, signals[OPEN_LINK], 0, uri, &handled);
}

static gboolean
decide_policy_cb (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  CachetMessageView        *self)
{
  /* A page this view has let go of decides nothing. */
  if (web_view != self->web_view)
    {
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }

  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      {
        WebKitNavigationPolicyDecision *navigation_decision = WEBKIT_NAVIGATION_POLICY_DECISION (decision);
        WebKitNavigationAction *action = webkit_navigation_policy_decision_get_navigation_action (navigation_decision);
        const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));
        WebKitNavigationType navigation = webkit_navigation_action_get_navigation_type (action);

        /* The document this view loaded, once. */
        if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && self->document_load_pending &&
            navigation == WEBKIT_NAVIGATION_TYPE_OTHER && g_strcmp0 (uri, DOCUMENT_URI) == 0)
          {
            self->document_load_pending = FALSE;
            webkit_policy_decision_use (decision);
            return TRUE;
          }

        /* A link to a place in the document only scrolls it. */
        if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION &&
            navigation == WEBKIT_NAVIGATION_TYPE_LINK_CLICKED &&
            uri != NULL && g_str_has_prefix (uri, DOCUMENT_URI "#"))
          {
            webkit_policy_decision_use (decision);
            return TRUE;
          }

        /* Everything else (refresh, forms, frames, scripts, redirects) goes
         * nowhere; a link the user clicked opens outside Cachet. */
        if (navigation == WEBKIT_NAVIGATION_TYPE_LINK_CLICKED &&
            webkit_navigation_action_is_user_gesture (action))
          open_link (self, uri);
        webkit_policy_decision_ignore (decision);
        return TRUE;
      }

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      /* Nothing is ever downloaded. */
      if (!webkit_response_policy_decision_is_mime_type_supported (WEBKIT_RESPONSE_POLICY_DECISION (decision)))
        {
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }
      return FALSE;

    default:
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
}

static void
load_changed_cb (WebKitWebView     *web_view,
                 WebKitLoadEvent    event,
                 CachetMessageView *self)
{
  if (web_view == self->web_view && event == WEBKIT_LOAD_FINISHED)
    set_loading (self, FALSE);
}

static gboolean
load_failed_cb (WebKitWebView     *web_view,
                WebKitLoadEvent    event,
                const char        *failing_uri,
                GError            *error,
                CachetMessageView *self)
{
  /* Refused navigations and loads end here too; only the document itself
   * failing is worth telling. */
  if (web_view == self->web_view && self->loading &&
      g_strcmp0 (failing_uri, DOCUMENT_URI) == 0 &&
      !g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) &&
      !g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    show_error (self, _("The message viewer could not display this message. Select it again to retry."));

  /* No error page of WebKit's own. */
  return TRUE;
}

static void
web_process_terminated_cb (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           CachetMessageView                 *self)
{
  if (web_view == self->web_view)
    show_error (self, _("The message viewer stopped unexpectedly. Select the message again to show it."));
}

/* The real address of a link, in Cachet's own widget over the page, so that
 * a link whose text says one thing and goes to another shows it. */
static void
mouse_target_changed_cb (WebKitWebView       *web_view,
                         WebKitHitTestResult *hit_test_result,
                         guint                modifiers,
                         CachetMessageView   *self)
{
  const char *uri = NULL;

  if (web_view != self->web_view)
    return;
  if (webkit_hit_test_result_context_is_link (hit_test_result))
    uri = webkit_hit_test_result_get_link_uri (hit_test_result);

  gtk_label_set_text (self->link_label, uri != NULL ? uri : "");
  gtk_widget_set_visible (self->link_box, uri != NULL && *uri != '\0');
}

static gboolean
context_menu_action_allowed (WebKitContextMenuAction action)
{
  static const WebKitContextMenuAction allowed[] = {
    WEBKIT_CONTEXT_MENU_ACTION_NO_ACTION, /* separators */
    WEBKIT_CONTEXT_MENU_ACTION_COPY,
    WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD,
    WEBKIT_CONTEXT_MENU_ACTION_COPY_IMAGE_TO_CLIPBOARD,
    WEBKIT_CONTEXT_MENU_ACTION_SELECT_ALL,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      if (action == allowed[i])
        return TRUE;
    }
  return FALSE;
}

/* Copying only: no opening, downloading, reloading or inspecting. */
static gboolean
context_menu_cb (WebKitWebView       *web_view,
                 WebKitContextMenu   *menu,
                 WebKitHitTestResult *hit_test_result,
                 CachetMessageView   *self)
{
  gboolean any_action = FALSE;
  guint i = 0;

  while (i < webkit_context_menu_get_n_items (menu))
    {
      WebKitContextMenuItem *item = webkit_context_menu_get_item_at_position (menu, i);
      WebKitContextMenuAction action = webkit_context_menu_item_get_stock_action (item);

      if (!context_menu_action_allowed (action) || webkit_context_menu_item_get_submenu (item) != NULL)
        {
          webkit_context_menu_remove (menu, item);
          continue;
        }
      any_action |= action != WEBKIT_CONTEXT_MENU_ACTION_NO_ACTION;
      i++;
    }

  /* TRUE shows no menu at all. */
  return !any_action;
}

static gboolean
permission_request_cb (WebKitWebView           *web_view,
                       WebKitPermissionRequest *request,
                       CachetMessageView       *self)
{
  webkit_permission_request_deny (request);
  return TRUE;
}

static gboolean
run_file_chooser_cb (WebKitWebView            *web_view,
                     WebKitFileChooserRequest *request,
                     CachetMessageView        *self)
{
  webkit_file_chooser_request_cancel (request);
  return TRUE;
}

/* Nothing the page asks for is drawn outside its area, where it could pass
 * for Cachet's own widgets: no fullscreen, no drop-down list, no colour
 * chooser, no tooltip. Links show their address in link_label instead. */
static gboolean
enter_fullscreen_cb (WebKitWebView *web_view,
                     gpointer       user_data)
{
  return TRUE;
}

static gboolean
show_option_menu_cb (WebKitWebView    *web_view,
                     WebKitOptionMenu *menu,
                     GdkRectangle     *rectangle,
                     gpointer          user_data)
{
  webkit_option_menu_close (menu);
  return TRUE;
}

static gboolean
run_color_chooser_cb (WebKitWebView             *web_view,
                      WebKitColorChooserRequest *request,
                      gpointer                   user_data)
{
  webkit_color_chooser_request_cancel (request);
  return TRUE;
}

static void
tooltip_text_changed_cb (GtkWidget  *web_view,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  if (gtk_widget_get_tooltip_text (web_view) != NULL)
    gtk_widget_set_tooltip_text (web_view, NULL);
}

static void
download_started_cb (WebKitNetworkSession *session,
                     WebKitDownload       *download,
                     gpointer              user_data)
{
  webkit_download_cancel (download);
}

/* cid: URLs are answered from the shown message's own images, and only for
 * the web view that shows it. */
static void
cid_request_cb (WebKitURISchemeRequest *request,
                gpointer                user_data)
{
  g_autoptr(CachetMessageView) self = g_weak_ref_get (user_data);
  const CachetMessageInlinePart *part = NULL;
  g_autoptr(GInputStream) stream = NULL;

  if (self != NULL && self->render != NULL &&
      webkit_uri_scheme_request_get_web_view (request) == self->web_view)
    part = cachet_message_render_lookup_cid (self->render, webkit_uri_scheme_request_get_uri (request));

  if (part == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                     "No such image in this message");

      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  stream = g_memory_input_stream_new_from_bytes (part->data);
  webkit_uri_scheme_request_finish (request, stream, (gint64) g_bytes_get_size (part->data),
                                    part->content_type);
}

static void
weak_ref_free (gpointer weak_ref)
{
  g_weak_ref_clear (weak_ref);
  g_free (weak_ref);
}

#if WEBKIT_CHECK_VERSION (2, 42, 0)
/* Connections WebKit makes ahead of time, beside any load the content
 * filter sees: clicking a link opens one to its host before the navigation
 * is even decided (then refused here), <link rel=dns-prefetch> looks the host
 * up. Before 2.42 they can only be left on. */
static const char *speculative_features[] = {
  "LinkPreconnect",
  "LinkPreconnectEarlyHints",
  "LinkDNSPrefetch",
  "LinkPrefetch",
  "LinkPreload",
};

static void
disable_speculative_connections (WebKitSettings *settings)
{
  g_autoptr(WebKitFeatureList) features = webkit_settings_get_all_features ();

  for (gsize i = 0; i < webkit_feature_list_get_length (features); i++)
    {
      WebKitFeature *feature = webkit_feature_list_get (features, i);

      if (g_strv_contains (speculative_features, webkit_feature_get_identifier (feature)))
        webkit_settings_set_feature_enabled (settings, feature, FALSE);
    }
}
#endif

static void
ensure_web_context (CachetMessageView *self)
{
  GWeakRef *weak_self;

  if (self->web_context != NULL)
    return;

  self->web_context = webkit_web_context_new ();
  webkit_web_context_set_cache_model (self->web_context, WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
  weak_self = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak_self, self);
  webkit_web_context_register_uri_scheme (self->web_context, "cid", cid_request_cb,
                                          weak_self, weak_ref_free);

  /* Ephemeral: nothing is written to disk, and nothing is shared with any
   * other view. */
  self->network_session = webkit_network_session_new_ephemeral ();
  g_signal_connect (self->network_session, "download-started", G_CALLBACK (download_started_cb), NULL);

  self->content_manager = webkit_user_content_manager_new ();

  self->web_settings = g_object_new (WEBKIT_TYPE_SETTINGS,
                                     "enable-javascript", FALSE,
                                     "enable-javascript-markup", FALSE,
                                     "javascript-can-open-windows-automatically", FALSE,
                                     "javascript-can-access-clipboard", FALSE,
                                     "allow-modal-dialogs", FALSE,
                                     "auto-load-images", TRUE, /* cid: and data: only */
                                     "enable-html5-local-storage", FALSE,
                                     "enable-html5-database", FALSE,
                                     "enable-page-cache", FALSE,
                                     "enable-developer-extras", FALSE,
                                     "enable-write-console-messages-to-stdout", FALSE,
                                     "enable-webgl", FALSE,
                                     "enable-webaudio", FALSE,
                                     "enable-media", FALSE,
                                     "enable-mediasource", FALSE,
                                     "enable-media-stream", FALSE,
                                     "enable-media-capabilities", FALSE,
                                     "enable-encrypted-media", FALSE,
                                     "enable-webrtc", FALSE,
                                     "media-playback-requires-user-gesture", TRUE,
                                     "enable-fullscreen", FALSE,
                                     "enable-back-forward-navigation-gestures", FALSE,
                                     "enable-site-specific-quirks", FALSE,
                                     "allow-file-access-from-file-urls", FALSE,
                                     "allow-universal-access-from-file-urls", FALSE,
                                     "allow-top-navigation-to-data-urls", FALSE,
                                     "disable-web-security", FALSE,
                                     NULL);
#if WEBKIT_CHECK_VERSION (2, 42, 0)
  disable_speculative_connections (self->web_settings);
#endif
}

static WebKitWebView *
create_web_view (CachetMessageView *self)
{
  WebKitWebView *web_view;

  /* The policy applies as if sent by a server, before the document's own
   * <meta> policy, which cachet_message_render_get_html_document() adds. */
  web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                           "web-context", self->web_context,
                           "network-session", self->network_session,
                           "user-content-manager", self->content_manager,
                           "settings", self->web_settings,
                           "default-content-security-policy", CACHET_MESSAGE_RENDER_CONTENT_SECURITY_POLICY,
                           "hexpand", TRUE,
                           "vexpand", TRUE,
                           NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (web_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message body"),
                                  -1);

  g_signal_connect_object (web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self, 0);
  g_signal_connect_object (web_view, "load-changed", G_CALLBACK (load_changed_cb), self, 0);
  g_signal_connect_object (web_view, "load-failed", G_CALLBACK (load_failed_cb), self, 0);
  g_signal_connect_object (web_view, "web-process-terminated", G_CALLBACK (web_process_terminated_cb), self, 0);
  g_signal_connect_object (web_view, "mouse-target-changed", G_CALLBACK (mouse_target_changed_cb), self, 0);
  g_signal_connect_object (web_view, "context-menu", G_CALLBACK (context_menu_cb), self, 0);
  g_signal_connect_object (web_view, "permission-request", G_CALLBACK (permission_request_cb), self, 0);
  g_signal_connect_object (web_view, "run-file-chooser", G_CALLBACK (run_file_chooser_cb), self, 0);
  g_signal_connect (web_view, "enter-fullscreen", G_CALLBACK (enter_fullscreen_cb), NULL);
  g_signal_connect (web_view, "show-option-menu", G_CALLBACK (show_option_menu_cb), NULL);
  g_signal_connect (web_view, "run-color-chooser", G_CALLBACK (run_color_chooser_cb), NULL);
  g_signal_connect (web_view, "notify::tooltip-text", G_CALLBACK (tooltip_text_changed_cb), NULL);

  return web_view;
}

static void
content_filter_ready_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CachetMessageView *self = CACHET_MESSAGE_VIEW (source);
  g_autoptr(WebKitUserContentFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;

  filter = content_filter_get_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Without the filter, nothing HTML is shown. */
  if (filter == NULL)
    {
      show_error (self, _("The safe viewer for formatted messages could not start. "
                          "Restart Cachet; if this happens again, contact your IT support."));
      return;
    }

  if (!self->content_filter_added)
    {
      webkit_user_content_manager_add_filter (self->content_manager, filter);
      self->content_filter_added = TRUE;
    }

  /* A new page for each message: nothing of one message's page survives
   * into the next. */
  self->web_view = create_web_view (self);
  self->document_load_pending = TRUE;
  gtk_overlay_set_child (self->html_overlay, GTK_WIDGET (self->web_view));

  document = cachet_message_render_get_html_document (self->render);
  webkit_web_view_load_html (self->web_view, document, DOCUMENT_URI);
}

static void
show_notice (CachetMessageView *self,
             const char        *icon_name,
             const char        *title,
             const char        *description)
{
  adw_status_page_set_icon_name (self->notice_page, icon_name);
  adw_status_page_set_title (self->notice_page, title);
  adw_status_page_set_description (self->notice_page, description);
  gtk_stack_set_visible_child_name (self->body_stack, "notice");
}

static void
show_body (CachetMessageView *self)
{
  const CachetMessageRender *render = self->render;

  gtk_widget_set_visible (GTK_WIDGET (self->truncated_label), render->body_truncated);

  switch (render->body_kind)
    {
    case CACHET_MESSAGE_BODY_TEXT:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
        GtkTextIter start;

        /* Plain text is only ever text: never markup, never a link. */
        gtk_text_buffer_set_text (buffer, render->body, -1);
        gtk_text_buffer_get_start_iter (buffer, &start);
        gtk_text_buffer_place_cursor (buffer, &start);
        gtk_stack_set_visible_child_name (self->body_stack, "text");
        set_loading (self, FALSE);
      }
      break;

    case CACHET_MESSAGE_BODY_HTML:
      gtk_stack_set_visible_child_name (self->body_stack, "html");
      ensure_web_context (self);
      content_filter_get_async (self, self->cancellable, content_filter_ready_cb, NULL);
      break;

    case CACHET_MESSAGE_BODY_PROTECTED:
      show_notice (self, "dialog-information-symbolic", _("Protected Message"),
                   _("This message is encrypted or signed in a form that Cachet cannot open yet."));
      set_loading (self, FALSE);
      break;

    case CACHET_MESSAGE_BODY_NONE:
    default:
      show_notice (self, "mail-read-symbolic", _("No Text"),
                   render->attachments->len > 0 ? _("This message only has the attachments listed above.")
                                                : _("This message is empty."));
      set_loading (self, FALSE);
      break;
    }
}

static void
set_header_row (GtkLabel   *caption,
                GtkLabel   *label,
                const char *text)
{
  gboolean visible = text != NULL && *text != '\0';

  gtk_label_set_text (label, visible ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (caption), visible);
  gtk_widget_set_visible (GTK_WIDGET (label), visible);
}

/* Labels are plain text (no markup, no mnemonic): a header never becomes
 * formatting or a link. */
static void
show_headers (CachetMessageView *self)
{
  const CachetMessageRender *render = self->render;
  g_autofree char *from = cachet_message_address_list_to_string (render->from);
  g_autofree char *to = cachet_message_address_list_to_string (render->to);
  g_autofree char *cc = cachet_message_address_list_to_string (render->cc);
  g_autofree char *date = NULL;

  gtk_label_set_text (self->subject_label, render->subject != NULL ? render->subject : _("(No Subject)"));
  gtk_label_set_text (self->from_label, *from != '\0' ? from : _("(Unknown Sender)"));
  set_header_row (self->to_caption, self->to_label, to);
  set_header_row (self->cc_caption, self->cc_label, cc);

  if (render->date != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (render->date);

      /* Translators: the date and time of a message, in the format of
       * g_date_time_format(); in French "%A %-d %B %Y à %H:%M". */
      date = local != NULL ? g_date_time_format (local, _("%A %-d %B %Y at %H:%M")) : NULL;
    }
  set_header_row (self->date_caption, self->date_label, date);
}

/* Opening and saving attachments. The content is read from the message
 * again in a worker thread, each time: the render keeps no attachment in
 * memory. Errors are told in a dialog, since the view has no room of its
 * own for them. */

static const char *
attachment_display_name (const CachetMessageAttachment *attachment)
{
  return attachment->file_name != NULL ? attachment->file_name : _("Unnamed attachment");
}

static void
show_attachment_error (CachetMessageView *self,
                       const char        *heading,
                       const char        *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GBytes                  *raw;
  CachetMessageAttachment *attachment;
  /* Where to save it; %NULL to write a private copy to open. */
  GFile                   *destination;
} AttachmentJob;

static void
attachment_job_free (AttachmentJob *job)
{
  g_bytes_unref (job->raw);
  cachet_message_attachment_free (job->attachment);
  g_clear_object (&job->destination);
  g_free (job);
}

static const CachetMessageAttachment *
attachment_at (CachetMessageView *self,
               guint              index)
{
  if (self->render == NULL || index >= self->render->attachments->len)
    return NULL;
  return g_ptr_array_index (self->render->attachments, index);
}

static void
attachment_job_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  AttachmentJob *job = task_data;
  g_autoptr(GBytes) data = NULL;
  GError *error = NULL;
  GFile *copy;

  data = cachet_message_render_extract_attachment (job->raw, job->attachment, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (job->destination != NULL)
    {
      if (g_file_replace_contents (job->destination, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                   NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
        g_task_return_pointer (task, g_object_ref (job->destination), g_object_unref);
      else
        g_task_return_error (task, error);
      return;
    }

  if (!cachet_message_render_attachment_can_open (job->attachment->file_name, data))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("Opening it could run a program on this computer. Save it instead, and "
                                 "open it only if you trust its sender."));
      return;
    }
  copy = cachet_attachment_cache_write (job->attachment->file_name, data, &error);
  if (copy == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, copy, g_object_unref);
}

static void
run_attachment_job (CachetMessageView             *self,
                    const CachetMessageAttachment *attachment,
                    GFile                         *destination,
                    GAsyncReadyCallback            callback)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, NULL);
  AttachmentJob *job = g_new0 (AttachmentJob, 1);

  job->raw = g_bytes_ref (self->raw);
  job->attachment = cachet_message_attachment_copy (attachment);
  job->destination = destination != NULL ? g_object_ref (destination) : NULL;
  g_task_set_source_tag (task, run_attachment_job);
  g_task_set_task_data (task, job, (GDestroyNotify) attachment_job_free);
  g_task_run_in_thread (task, attachment_job_thread);
}

static const char *
job_attachment_name (GAsyncResult *result)
{
  AttachmentJob *job = g_task_get_task_data (G_TASK (result));

  return attachment_display_name (job->attachment);
}

static void
attachment_shown_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CachetMessageView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_attachment_error (self, _("Cannot Open Attachment"), error->message);
}

static void
attachment_copied_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CachetMessageView *self = CACHET_MESSAGE_VIEW (source);
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *heading = NULL;

  copy = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (copy == NULL)
    {
      /* Translators: %s is the name of an attachment. */
      heading = g_strdup_printf (_("Cannot Open “%s”"), job_attachment_name (result));
      show_attachment_error (self, heading, error->message);
      return;
    }

  uri = g_file_get_uri (copy);
  gtk_show_uri_full (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), uri, GDK_CURRENT_TIME,
                     self->cancellable, attachment_shown_cb, g_object_ref (self));
}

static void
open_attachment_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CachetMessageView *self = CACHET_MESSAGE_VIEW (widget);
  const CachetMessageAttachment *attachment = attachment_at (self, g_variant_get_uint32 (parameter));

  if (attachment != NULL)
    run_attachment_job (self, attachment, NULL, attachment_copied_cb);
}

static void
attachment_saved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CachetMessageView *self = CACHET_MESSAGE_VIEW (source);
  g_autoptr(GFile) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;

  saved = g_task_propagate_pointer (G_TASK (result), &error);
  if (saved != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Translators: %s is the name of an attachment. */
  heading = g_strdup_printf (_("Cannot Save “%s”"), job_attachment_name (result));
  show_attachment_error (self, heading, error->message);
}

static void
save_chooser_response_cb (GtkNativeDialog *chooser,
                          int              response,
                          gpointer         user_data)
{
  CachetMessageView *self = user_data;
  CachetMessageAttachment *attachment = g_object_get_data (G_OBJECT (chooser), "cachet-attachment");
  g_autoptr(GFile) destination = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (destination = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      self->raw != NULL)
    run_attachment_job (self, attachment, destination, attachment_saved_cb);
  g_object_unref (chooser);
}

static void
save_attachment_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CachetMessageView *self = CACHET_MESSAGE_VIEW (widget);
  const CachetMessageAttachment *attachment = attachment_at (self, g_variant_get_uint32 (parameter));
  GtkFileChooserNative *chooser;

  if (attachment == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save Attachment"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* The safe name: a hostile one could hide its real extension. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     attachment->file_name != NULL ? attachment->file_name : _("attachment"));
  /* The attachment as it is now: the view may show another message by the
   * time the user answers. */
  g_object_set_data_full (G_OBJECT (chooser), "cachet-attachment", cachet_message_attachment_copy (attachment),
                          (GDestroyNotify) cachet_message_attachment_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
attachment_activated_cb (CachetMessageView *self,
                         GtkFlowBoxChild   *child)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "attachment.open", "u",
                              (guint32) gtk_flow_box_child_get_index (child));
}

/* A drag hands the file manager a real file: the copy is written when the
 * drag starts, since the file manager reads it as soon as it is dropped. */
static GdkContentProvider *
attachment_drag_prepare_cb (GtkDragSource *source,
                            double         x,
                            double         y,
                            gpointer       user_data)
{
  CachetMessageView *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (source), "cachet-attachment-index"));
  const CachetMessageAttachment *attachment = attachment_at (self, index);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) files = NULL;
  GFile *copy;

  if (attachment == NULL)
    return NULL;

  copy = g_hash_table_lookup (self->dragged_files, GUINT_TO_POINTER (index));
  if (copy == NULL)
    {
      data = cachet_message_render_extract_attachment (self->raw, attachment, &error);
      copy = data != NULL ? cachet_attachment_cache_write (attachment->file_name, data, &error) : NULL;
      if (copy == NULL)
        {
          g_warning ("Cannot drag the attachment: %s", error->message);
          return NULL;
        }
      g_hash_table_insert (self->dragged_files, GUINT_TO_POINTER (index), copy);
    }

  files = g_slist_prepend (NULL, copy);
  return gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, gdk_file_list_new_from_list (files));
}

static GtkWidget *
attachment_widget_new (CachetMessageView             *self,
                       const CachetMessageAttachment *attachment,
                       guint                          index)
{
  const char *name = attachment_display_name (attachment);
  g_autofree char *content_type = g_content_type_from_mime_type (attachment->content_type);
  g_autoptr(GIcon) icon = g_content_type_get_symbolic_icon (content_type != NULL ? content_type
                                                                                 : attachment->content_type);
  g_autofree char *size = g_format_size (attachment->size);
  /* Translators: how an attachment is read out: its file name, then its size. */
  g_autofree char *description = g_strdup_printf (_("%s, %s"), name, size);
  /* Translators: %s is the name of an attachment. */
  g_autofree char *save_label = g_strdup_printf (_("Save “%s”…"), name);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new_from_gicon (icon);
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *size_label = gtk_label_new (size);
  GtkWidget *save_button = gtk_button_new_from_icon_name ("document-save-symbolic");
  GtkDragSource *drag_source = gtk_drag_source_new ();
  g_autoptr(GtkIconPaintable) drag_icon = NULL;

  /* The middle goes when the name is too long: the extension stays. */
  gtk_label_set_ellipsize (GTK_LABEL (name_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name_label), 40);
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_widget_add_css_class (size_label, "dim-label");
  gtk_widget_set_tooltip_text (box, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);

  gtk_widget_add_css_class (save_button, "flat");
  gtk_widget_set_valign (save_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (save_button, save_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (save_button), GTK_ACCESSIBLE_PROPERTY_LABEL, save_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (save_button), "attachment.save");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (save_button), "u", (guint32) index);

  gtk_drag_source_set_actions (drag_source, GDK_ACTION_COPY);
  drag_icon = gtk_icon_theme_lookup_by_gicon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                              icon, 32, gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                              gtk_widget_get_direction (GTK_WIDGET (self)), 0);
  gtk_drag_source_set_icon (drag_source, GDK_PAINTABLE (drag_icon), 0, 0);
  g_object_set_data (G_OBJECT (drag_source), "cachet-attachment-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (drag_source, "prepare", G_CALLBACK (attachment_drag_prepare_cb), self, 0);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (drag_source));

  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), name_label);
  gtk_box_append (GTK_BOX (box), size_label);
  gtk_box_append (GTK_BOX (box), save_button);

  return box;
}

static void
show_attachments (CachetMessageView *self)
{
  GPtrArray *attachments = self->render->attachments;

  self->dragged_files = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  for (guint i = 0; i < attachments->len; i++)
    gtk_flow_box_append (self->attachments_flow, attachment_widget_new (self, g_ptr_array_index (attachments, i), i));
  gtk_widget_set_visible (self->attachments_box, attachments->len > 0);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GBytes *raw = task_data;
  g_autoptr(GError) error = NULL;
  CachetMessageRender *render;

  if (g_task_return_error_if_cancelled (task))
    return;

  render = cachet_message_render_new_from_bytes (raw, &error);
  if (render == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, render, (GDestroyNotify) cachet_message_render_free);
}

static void
render_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CachetMessageView *self = CACHET_MESSAGE_VIEW (source);
  g_autoptr(GError) error = NULL;
  CachetMessageRender *render;

  render = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (render == NULL)
    {
      /* Translators: %s says what is wrong with the message. */
      g_autofree char *description =
        g_strdup_printf (_("%s. The message may be damaged; you can ask its sender to send it again."),
                         error->message);

      show_error (self, description);
      return;
    }

  self->render = render;
  show_headers (self);
  show_attachments (self);
  gtk_stack_set_visible_child_name (self->stack, "message");
  show_body (self);
}

/**
 * cachet_message_view_show_message:
 * @self: a message view
 * @raw: the message, as stored
 *
 * Shows @raw: it is parsed in a worker thread, then its headers, attachments
 * and body are shown, or what is wrong with it. Whatever was being shown or
 * loaded is dropped first. #CachetMessageView:loading is %TRUE until the body
 * is on screen.
 *
 * An HTML body is shown in a page of its own, with scripts off and every
 * network load refused: only the message's own `cid:` images are served.
 */
void
cachet_message_view_show_message (CachetMessageView *self,
                                  GBytes            *raw)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_MESSAGE_VIEW (self));
  g_return_if_fail (raw != NULL);

  reset (self);
  self->cancellable = g_cancellable_new ();
  self->raw = g_bytes_ref (raw);
  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  task = g_task_new (self, self->cancellable, render_ready_cb, NULL);
  g_task_set_source_tag (task, cachet_message_view_show_message);
  g_task_set_task_data (task, g_bytes_ref (raw), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, render_thread);
}

/**
 * cachet_message_view_clear:
 * @self: a message view
 *
 * Stops loading and shows nothing.
 */
void
cachet_message_view_clear (CachetMessageView *self)
{
  g_return_if_fail (CACHET_IS_MESSAGE_VIEW (self));

  reset (self);
  set_loading (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/**
 * cachet_message_view_get_loading:
 * @self: a message view
 *
 * Whether a message is being parsed or its body loaded.
 *
 * Returns: %TRUE while loading.
 */
gboolean
cachet_message_view_get_loading (CachetMessageView *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_VIEW (self), FALSE);

  return self->loading;
}

static void
cachet_message_view_dispose (GObject *object)
{
  CachetMessageView *self = CACHET_MESSAGE_VIEW (object);

  if (self->text_view != NULL)
    reset (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CACHET_TYPE_MESSAGE_VIEW);

  g_clear_object (&self->web_settings);
  g_clear_object (&self->content_manager);
  g_clear_object (&self->network_session);
  g_clear_object (&self->web_context);

  G_OBJECT_CLASS (cachet_message_view_parent_class)->dispose (object);
}

static void
cachet_message_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CachetMessageView *self = CACHET_MESSAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_message_view_class_init (CachetMessageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_message_view_dispose;
  object_class->get_property = cachet_message_view_get_property;

  /**
   * CachetMessageView:loading:
   *
   * Whether a message is being parsed or its body loaded.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CachetMessageView::open-link:
   * @self: the view
   * @uri: the link's real target: http, https or mailto
   *
   * Emitted when the user clicks a link of a message that may be opened
   * outside Cachet; nothing else ever leaves the view. The default handler
   * opens it with gtk_show_uri().
   *
   * Returns: %TRUE to stop other handlers, the default one included.
   */
  signals[OPEN_LINK] =
    g_signal_new_class_handler ("open-link",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (cachet_message_view_real_open_link),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/cachet/Cachet/cachet-message-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "messageview");

  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, stack);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, error_page);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, subject_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, from_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, to_caption);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, to_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, cc_caption);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, cc_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, date_caption);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, date_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, attachments_flow);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, truncated_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, body_stack);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, text_view);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, html_overlay);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, link_box);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, link_label);
  gtk_widget_class_bind_template_child (widget_class, CachetMessageView, notice_page);
  gtk_widget_class_bind_template_callback (widget_class, attachment_activated_cb);

  gtk_widget_class_install_action (widget_class, "attachment.open", "u", open_attachment_action);
  gtk_widget_class_install_action (widget_class, "attachment.save", "u", save_attachment_action);
}

static void
cachet_message_view_init (CachetMessageView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
