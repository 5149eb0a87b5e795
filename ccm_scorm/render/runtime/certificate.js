/* ccm-scorm learner runtime: the certificate (CCM.certificate), in #ccm-certificate.
 * The record a learner can print (one A4 page) or download as one HTML file. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, make = dom.make, byId = dom.byId, clear = dom.clear, longDate = dom.longDate;

  /* certificateView(sess, info) -> {show, hide, click(t), submit(form)}
   * info: {kind: "pathway"|"module", id, title, date (Date), language, organisation {name, logo,
   * logoData}, modules [{title, score, passed}], competencies [titles], back: label} */
  var CERT_CSS = 'body{margin:0;padding:2rem;font:12pt/1.5 system-ui,Arial,sans-serif;color:#1d1d1d;background:#fff}' +
    '.ccm-cert{max-width:44rem;margin:0 auto;padding:2rem;border:3px double #003087}' +
    '.ccm-cert h1{font-size:1.8rem;margin:0.25rem 0 1rem;color:#003087}.ccm-cert h2{font-size:1.1rem;margin:1rem 0 0.25rem}' +
    '.ccm-cert-logo{max-height:3.5rem;max-width:12rem}.ccm-cert-org{font-weight:700;margin:0}' +
    '.ccm-cert-record{font-size:1.2rem}.ccm-cert-name{font-weight:700}' +
    'table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:0.2rem 0.4rem;border-bottom:1px solid #6b6b6b}' +
    '@media print,(min-width:30em){td{white-space:nowrap}}.ccm-cert-competencies{columns:2 16rem}' +
    'caption{text-align:left;font-weight:700}.ccm-cert-small{font-size:0.9rem}' +
    '@page{size:A4;margin:12mm}@media print{body{padding:0}}';

  function backButton(info) {
    return make('button', { type: 'button', 'class': 'ccm-button ccm-secondary', 'data-action': 'certificate-back', text: info.back });
  }
  function nameForm(value) {
    return make('form', { 'class': 'ccm-name-form', novalidate: true }, [
      make('label', { 'for': 'ccm-learner-name', text: 'Your name, as it should appear on the certificate' }),
      make('input', { type: 'text', id: 'ccm-learner-name', autocomplete: 'name', maxlength: '80', value: value || null,
        'aria-describedby': 'ccm-name-error' }),
      make('p', { 'class': 'ccm-error', id: 'ccm-name-error', hidden: true }),
      make('button', { type: 'submit', 'class': 'ccm-button', text: 'Save my name' })]);
  }
  function heading(org) {
    var cert = make('div', { 'class': 'ccm-cert', id: 'ccm-cert' });
    if (org.logo || org.name) {
      var head = make('div', { 'class': 'ccm-cert-head' });
      if (org.logo) head.appendChild(make('img', { 'class': 'ccm-cert-logo', src: org.logo, alt: org.name ? '' : 'Organisation logo' }));
      if (org.name) head.appendChild(make('p', { 'class': 'ccm-cert-org', text: org.name }));
      cert.appendChild(head);
    }
    cert.appendChild(make('h1', { id: 'ccm-certificate-title', tabindex: '-1', text: 'Certificate of completion' }));
    return cert;
  }
  function moduleTable(info) {
    return make('table', { 'class': 'ccm-table ccm-cert-modules' }, [
      make('caption', { text: info.kind === 'pathway' ? 'Modules and scores' : 'Score' }),
      make('thead', {}, [make('tr', {}, [make('th', { scope: 'col', text: 'Module' }),
        make('th', { scope: 'col', text: 'Score' }), make('th', { scope: 'col', text: 'Result' })])]),
      make('tbody', {}, info.modules.map(function (m) {
        return make('tr', {}, [make('th', { scope: 'row', text: m.title }),
          make('td', { text: m.score === null ? 'No quiz' : m.score + '%' }),
          make('td', { text: m.score === null ? 'Completed' : m.passed ? 'Passed' : 'Failed' })]);
      }))]);
  }
  // The record itself, under the heading.
  function record(cert, info, name) {
    // Only a pathway's state keeps the day it was passed; otherwise say when this copy was made.
    var when = longDate(info.date, info.language);
    cert.appendChild(make('p', { 'class': 'ccm-cert-record' }, ['This is a record that ',
      make('span', { 'class': 'ccm-cert-name', text: name }), ' completed the ' + info.kind + ' “' + info.title + '”' +
      (info.dated ? ' on ' + when + '.' : '. This copy was made on ' + when + '.')]));
    if (info.modules.length) cert.appendChild(moduleTable(info));
    if (info.competencies.length) {
      cert.appendChild(make('h2', { text: 'Competencies evidenced' }));
      cert.appendChild(make('ul', { 'class': 'ccm-cert-competencies' }, info.competencies.map(function (t) { return make('li', { text: t }); })));
    }
    cert.appendChild(make('p', { 'class': 'ccm-cert-small', text: 'This certificate was made by the e-learning course itself. ' +
      'It is not a qualification, and it cannot prove who took the quiz.' }));
  }

  // cv: {sess, info, box, blobUrl}
  function downloadLink(cv, cert, name) {
    var info = cv.info;
    if (!window.Blob || !window.URL || !URL.createObjectURL) return null;
    var copy = cert.cloneNode(true), org = info.organisation || {};
    copy.querySelector('h1').removeAttribute('tabindex');
    var img = copy.querySelector('img');
    if (img) { if (org.logoData) img.setAttribute('src', org.logoData); else img.parentNode.removeChild(img); }
    var esc = make('p', { text: 'Certificate – ' + name + ' – ' + info.title }).innerHTML;
    var html = '<!DOCTYPE html>\n<html lang="' + (info.language || 'en-GB') + '">\n<head>\n<meta charset="utf-8">\n' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>' + esc + '</title>\n<style>' + CERT_CSS +
      '</style>\n</head>\n<body>\n' + copy.outerHTML + '\n</body>\n</html>\n';
    if (cv.blobUrl) URL.revokeObjectURL(cv.blobUrl);
    cv.blobUrl = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    return make('a', { 'class': 'ccm-button ccm-secondary ccm-download', href: cv.blobUrl, download: 'certificate-' + info.id + '.html',
      text: 'Download a copy (HTML file)' });
  }
  function render(cv, focus) {
    var box = cv.box, info = cv.info, who = cv.sess.name();
    clear(box);
    var cert = heading(info.organisation || {}), h1 = cert.querySelector('h1');
    var actions = make('div', { 'class': 'ccm-cert-actions' });
    if (!who.text) {
      box.appendChild(cert);
      actions.appendChild(make('p', { text: 'Add your name to see your certificate. Your name is kept on this device only.' }));
      actions.appendChild(nameForm(''));
    } else {
      record(cert, info, who.text);
      box.appendChild(cert);
      actions.appendChild(make('button', { type: 'button', 'class': 'ccm-button', 'data-action': 'print', text: 'Print this certificate' }));
      var link = downloadLink(cv, cert, who.text);
      if (link) actions.appendChild(link);
      if (who.typed) {
        actions.appendChild(make('details', { 'class': 'ccm-cert-change' },
          [make('summary', { text: 'Change the name on the certificate' }), nameForm(who.text)]));
      }
    }
    actions.appendChild(backButton(info));
    box.appendChild(actions);
    if (focus) h1.focus();
  }
  function saveName(cv, form) {
    var sess = cv.sess, input = form.querySelector('input'), text = input.value.trim().replace(/\s+/g, ' ');
    if (!text) {
      var err = form.querySelector('.ccm-error');
      err.textContent = 'Type your name, then save it.';
      err.hidden = false;
      sess.say('assertive', err.textContent);
      input.focus();
      return;
    }
    sess.keepName(text);
    render(cv, true);
    sess.say('polite', 'Your name is on the certificate.');
  }

  function certificateView(sess, info) {
    var cv = { sess: sess, info: info, box: byId('ccm-certificate-body'), blobUrl: null };
    return {
      show: function () {
        document.body.classList.add('ccm-cert-open');
        byId('ccm-certificate').hidden = false;
        document.title = 'Certificate of completion – ' + info.title;
        render(cv, true);
        if (window.scrollTo) window.scrollTo(0, 0);
      },
      hide: function () {
        document.body.classList.remove('ccm-cert-open');
        byId('ccm-certificate').hidden = true;
      },
      click: function (t) {
        if (t.getAttribute('data-action') !== 'print') return false;
        window.print();
        return true;
      },
      submit: function (form) {
        if (!form.classList.contains('ccm-name-form')) return false;
        saveName(cv, form);
        return true;
      }
    };
  }

  function evidenced(list, titles) { // competency titles with status passed or completed, without repeats
    var out = [];
    list.forEach(function (c) {
      var t = titles[c.id] || c.id;
      if ((c.status === 'passed' || c.status === 'completed') && out.indexOf(t) < 0) out.push(t);
    });
    return out;
  }
  function titlesOf(comps) { var m = {}; (comps || []).forEach(function (c) { m[c.id] = c.title; }); return m; }

  CCM.certificate = { view: certificateView, evidenced: evidenced, titlesOf: titlesOf };
})(window.CCM);
